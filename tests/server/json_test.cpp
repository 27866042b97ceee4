#include "server/json.hpp"

#include <catch2/catch.hpp>

using namespace bense::server;

TEST_CASE("error_envelope escapes what it is given", "[json]") {
    CHECK(error_envelope("checkin.closed", "签到已结束") ==
          R"({"error":{"code":"checkin.closed","message":"签到已结束"}})");
    CHECK(error_envelope("x", "a \"quoted\"\nline") ==
          R"({"error":{"code":"x","message":"a \"quoted\"\nline"}})");
}

TEST_CASE("parse_json is strict; parse_jsonc allows comments", "[json]") {
    CHECK(parse_json(R"({"a":1})").has_value());
    CHECK_FALSE(parse_json("{\"a\":1} // no").has_value());
    CHECK_FALSE(parse_json("{\"a\":\"\xff\"}").has_value());  // invalid UTF-8
    CHECK_FALSE(parse_json("").has_value());
    CHECK(parse_jsonc("// c\n{\"a\":1,}").has_value());
}

TEST_CASE("JsonObjectReader reports the first problem with its path", "[json]") {
    auto doc = parse_json(R"({"n": 5, "s": "x", "b": true, "extra": 1})");
    REQUIRE(doc.has_value());
    JsonObjectReader r(*doc, "/sec");
    int n = 0;
    std::string s;
    bool b = false;
    r.read("n", n, 0, 3);
    r.read("s", s);
    r.read("b", b);
    r.finish();
    CHECK_FALSE(r.ok());
    CHECK(r.error() == "/sec/n: expected integer 0..3");
    CHECK(s == "x");
    CHECK(b);
}

#include "server/json.hpp"

#include <catch2/catch.hpp>

using namespace bense::server;

TEST_CASE("error_envelope escapes what it is given", "[json]") {
    CHECK(error_envelope("checkin.closed", "签到已结束") ==
          R"({"error":{"code":"checkin.closed","message":"签到已结束"}})");
    CHECK(error_envelope("x", "a \"quoted\"\nline") ==
          R"({"error":{"code":"x","message":"a \"quoted\"\nline"}})");
}

TEST_CASE("parse_json is strict, parse_jsonc allows comments", "[json]") {
    CHECK(parse_json(R"({"a":1})").has_value());
    CHECK_FALSE(parse_json("{\"a\":1} // no").has_value());
    CHECK_FALSE(parse_json("{\"a\":\"\xff\"}").has_value());  // invalid UTF-8
    CHECK_FALSE(parse_json("").has_value());
    CHECK(parse_jsonc("// c\n{\"a\":1,}").has_value());
}

TEST_CASE("a request body is parsed as parse_json would: strict, UTF-8, no NUL", "[json]") {
    using namespace std::string_literals;
    auto const same = [](std::string const& body) {
        auto const a = parse_json(body);
        auto b = parse_json_body(body);
        CHECK(a.has_value() == b.has_value());
        return b;
    };
    // Strings long enough for the 16-byte scan, with escapes and Chinese inside them.
    auto const ok = same(R"({"reason":"社区宣讲，一共两个小时。\"好\"\n","request_id":"bench-1-0-1234567890123456"})");
    REQUIRE(ok.has_value());
    CHECK((*ok)["reason"].GetString() == std::string("社区宣讲，一共两个小时。\"好\"\n"));
    CHECK((*ok)["request_id"].GetString() == std::string("bench-1-0-1234567890123456"));
    // Refused: bytes that are not UTF-8 (in a string, after the document), a NUL (in a string,
    // after the document: the NUL-terminated parse would have stopped there and said yes),
    // control characters in a string, trailing text, nothing.
    CHECK_FALSE(same("{\"a\":\"\xff\"}").has_value());
    CHECK_FALSE(same("{\"a\":\"\xe7\xad\"}").has_value());
    CHECK_FALSE(same("{\"a\":1}\xc3\xa9").has_value());
    CHECK_FALSE(same("{\"a\":\"x\0y\"}"s).has_value());
    CHECK_FALSE(same("{\"a\":1}\0garbage"s).has_value());
    CHECK_FALSE(same("{\"a\":\"tab\there\"}").has_value());
    CHECK_FALSE(same("{\"a\":1} x").has_value());
    CHECK_FALSE(same("").has_value());
    CHECK(parse_json_body("{\"a\":1}\0"s).error() == "offset 7: a NUL byte");
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

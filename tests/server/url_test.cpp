#include "server/url.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace bense::server;

TEST_CASE("split_target separates path and query", "[url]") {
    auto t = split_target("/wechat/oa?signature=abc&nonce=1");
    CHECK(t.path == "/wechat/oa");
    CHECK(t.query == "signature=abc&nonce=1");
    CHECK(split_target("/x").query.empty());
}

TEST_CASE("percent_decode handles escapes, plus and malformed input", "[url]") {
    CHECK(percent_decode("a%20b") == "a b");
    CHECK(percent_decode("%E7%AD%BE%E5%88%B0") == "签到");
    CHECK(percent_decode("a+b", true) == "a b");
    CHECK(percent_decode("a+b", false) == "a+b");
    CHECK_FALSE(percent_decode("%").has_value());
    CHECK_FALSE(percent_decode("%4").has_value());
    CHECK_FALSE(percent_decode("%zz").has_value());
    // Runs of plain bytes before, between and after escapes, and none at all.
    CHECK(percent_decode("") == "");
    CHECK(percent_decode("0123456789abcdef0123456789abcdef01234567") == "0123456789abcdef0123456789abcdef01234567");
    CHECK(percent_decode("ab%2Fcd+ef%3d%3Dgh", true) == "ab/cd ef==gh");
    CHECK(percent_decode("++%41", true) == "  A");
    CHECK_FALSE(percent_decode("abc%4g").has_value());
}

TEST_CASE("for_each_query_pair walks the pairs in order, still encoded, until told to stop", "[url]") {
    std::vector<std::pair<std::string, std::string>> seen;
    auto const collect = [&](std::string_view name, std::string_view value) {
        seen.emplace_back(name, value);
        return name != "stop";
    };
    for_each_query_pair("a=1&flag&b=x%2By&=v&stop=1&after=2", collect);
    CHECK(seen == std::vector<std::pair<std::string, std::string>>{
                      {"a", "1"}, {"flag", ""}, {"b", "x%2By"}, {"", "v"}, {"stop", "1"}});
    seen.clear();
    for_each_query_pair("", collect);
    CHECK(seen.empty());
}

TEST_CASE("query_param finds the first value", "[url]") {
    CHECK(query_param("a=1&b=2&a=3", "a") == "1");
    CHECK(query_param("a=1&b=x%2By", "b") == "x+y");
    CHECK(query_param("flag&a=1", "flag") == "");
    CHECK_FALSE(query_param("a=1", "b").has_value());
    CHECK_FALSE(query_param("a=%G1", "a").has_value());
}

#include "wechat/api_config.hpp"

#include "server/config.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace bense;
using namespace bense::wechat;

namespace {

result<ApiConfig, std::string> parse(std::string_view text) {
    ApiConfig out;
    server::SectionParsers sections{{"wechat_api", [&](server::JsonObjectReader& r) { read_api_config(r, out); }}};
    auto c = server::parse_config(text, sections);
    if (!c) {
        return {boost::system::in_place_error, c.error()};
    }
    return out;
}

}  // namespace

TEST_CASE("wechat_api is off unless configured", "[wechat][config]") {
    auto c = parse("{}");
    REQUIRE(c.has_value());
    CHECK_FALSE(c->enabled);
}

TEST_CASE("wechat_api reads apps, secrets from the environment and the token source", "[wechat][config]") {
    ::setenv("BENSE_TEST_OA_SECRET", "oa-secret", 1);
    auto c = parse(R"({"wechat_api": {
        "base_url": "https://127.0.0.1:8443", "trusted_cert_file": "var/fake-wechat/cert.pem",
        "token_source": "classic", "request_timeout_ms": 2000,
        "oa": {"appid": "wxoa", "secret": "env:BENSE_TEST_OA_SECRET"},
        "mp": {"appid": "wxmp", "secret": "s"}}})");
    REQUIRE(c.has_value());
    CHECK(c->enabled);
    CHECK((c->token_source == TokenSource::classic));
    CHECK(c->oa.secret == "oa-secret");
    CHECK(c->mp.appid == "wxmp");
    CHECK(c->request_timeout == std::chrono::milliseconds(2000));
}

TEST_CASE("wechat_api errors name the key", "[wechat][config]") {
    auto expect = [](std::string_view text, std::string_view needle) {
        auto c = parse(text);
        INFO(text);
        REQUIRE_FALSE(c.has_value());
        INFO(c.error());
        CHECK(c.error().find(needle) != std::string::npos);
    };
    expect(R"({"wechat_api": {"base_url": "http://x"}})", "/wechat_api/base_url: expected https://");
    expect(R"({"wechat_api": {"base_url": "https://x", "token_source": "both"}})", "/wechat_api/token_source");
    expect(R"({"wechat_api": {"base_url": "https://x", "oa": {"appid": "a"}}})", "/wechat_api/oa: appid and secret");
    expect(R"({"wechat_api": {"base_url": "https://x", "oa": {"appid": "a", "secret": "s", "x": 1}}})",
           "/wechat_api/oa/x: unknown key");
}

#include "server/config.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace bense::server;

TEST_CASE("an empty config gives the documented defaults", "[config]") {
    auto c = parse_config("{}");
    REQUIRE(c.has_value());
    CHECK(c->server.listen == "127.0.0.1");
    CHECK(c->server.port == 8480);
    CHECK(c->redis.address == "127.0.0.1:6390");
    CHECK(c->log.level == "info");
    CHECK(c->templates_dir == "templates");
}

TEST_CASE("the example config is valid and spells out every default", "[config]") {
    // Sections of other modules are checked by their own tests and by `bense check-config`.
    SectionParsers others{{"wechat_api", [](JsonObjectReader& r) { r.accept_all_keys(); }},
                          {"wechat", [](JsonObjectReader& r) { r.accept_all_keys(); }},
                          {"roster", [](JsonObjectReader& r) { r.accept_all_keys(); }},
                          {"points", [](JsonObjectReader& r) { r.accept_all_keys(); }},
                          {"activities", [](JsonObjectReader& r) { r.accept_all_keys(); }}};
    auto c = load_config(BENSE_SOURCE_DIR "/config/bense.example.jsonc", others);
    REQUIRE(c.has_value());
    Config defaults;
    CHECK(c->server.port == defaults.server.port);
    CHECK(c->server.body_limit_bytes == defaults.server.body_limit_bytes);
    CHECK(c->server.idle_timeout == defaults.server.idle_timeout);
    CHECK(c->redis.command_timeout == defaults.redis.command_timeout);
}

TEST_CASE("config values are read with comments allowed", "[config]") {
    auto c = parse_config(R"({
        // a comment
        "server": {"port": 9000, "threads": 3, "read_timeout_ms": 1500},
        "redis": {"address": "unix:/run/redis.sock", "db": 2},
        "log": {"level": "debug"}, /* trailing */
    })");
    REQUIRE(c.has_value());
    CHECK(c->server.port == 9000);
    CHECK(c->server.threads == 3);
    CHECK(c->server.read_timeout == std::chrono::milliseconds(1500));
    CHECK(c->redis.address == "unix:/run/redis.sock");
    CHECK(c->redis.db == 2);
    CHECK(c->log.level == "debug");
}

TEST_CASE("config errors name the key", "[config]") {
    auto expect_error = [](std::string_view text, std::string_view needle) {
        auto c = parse_config(text);
        INFO(text);
        REQUIRE_FALSE(c.has_value());
        INFO(c.error());
        CHECK(c.error().find(needle) != std::string::npos);
    };
    expect_error(R"({"server": {"prot": 1}})", "/server/prot: unknown key");
    expect_error(R"({"nonsense": 1})", "/nonsense: unknown key");
    expect_error(R"({"server": {"port": "80"}})", "/server/port: expected integer 0..65535");
    expect_error(R"({"server": {"port": 70000}})", "/server/port: expected integer 0..65535");
    expect_error(R"({"server": {"listen": "localhost"}})", "/server/listen: expected a numeric IP");
    expect_error(R"({"redis": {"address": "redis.local:6379"}})", "/redis/address");
    expect_error(R"({"log": {"level": "loud"}})", "/log/level");
    expect_error(R"({"server": 3})", "/server: expected an object");
    expect_error(R"({"server": {)", "config: offset");
}

TEST_CASE("secrets can come from the environment", "[config]") {
    ::setenv("BENSE_TEST_REDIS_PASSWORD", "s3cret", 1);
    auto c = parse_config(R"({"redis": {"password": "env:BENSE_TEST_REDIS_PASSWORD"}})");
    REQUIRE(c.has_value());
    CHECK(c->redis.password == "s3cret");
    auto missing = parse_config(R"({"redis": {"password": "env:BENSE_TEST_NOT_SET_ANYWHERE"}})");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error() == "/redis/password: environment variable BENSE_TEST_NOT_SET_ANYWHERE is not set");
}

TEST_CASE("other modules read their own sections, strictly", "[config]") {
    std::string token;
    SectionParsers sections{{"wechat", [&](JsonObjectReader& r) { r.read("token", token); }}};
    auto c = parse_config(R"({"wechat": {"token": "abc"}})", sections);
    REQUIRE(c.has_value());
    CHECK(token == "abc");
    auto bad = parse_config(R"({"wechat": {"tokn": "abc"}})", sections);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error() == "/wechat/tokn: unknown key");
}

TEST_CASE("effective_threads uses the cores when threads is 0", "[config]") {
    ServerConfig c;
    CHECK(effective_threads(c) >= 1);
    c.threads = 3;
    CHECK(effective_threads(c) == 3);
}

TEST_CASE("Redis on a unix socket or a loopback address shares this machine", "[config]") {
    auto at = [](std::string address) {
        auto c = parse_config(R"({"redis": {"address": ")" + address + R"("}})");
        REQUIRE(c.has_value());
        return redis_on_this_machine(c->redis);
    };
    CHECK(at("127.0.0.1:6390"));
    CHECK(at("127.0.2.7:6379"));
    CHECK(at("::1:6379"));
    CHECK(at("unix:/run/redis/redis.sock"));
    CHECK_FALSE(at("10.0.0.5:6379"));
    CHECK_FALSE(at("192.168.1.20:6390"));
    CHECK_FALSE(at("fd00::5:6379"));
}

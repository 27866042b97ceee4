// The "activities" section: defaults when left out, each key read, and the checks that keep
// a code readable (grace shorter than the period) and a scene key strong.
#include "handlers/activity_config.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

// The section's config, or the reader's error.
std::pair<ActivityConfig, std::string> read(char const* json) {
    rapidjson::Document d;
    d.Parse(json);
    REQUIRE(d.IsObject());
    bense::server::JsonObjectReader r(d, "/activities");
    ActivityConfig c;
    read_activity_config(r, c);
    return {c, r.error()};
}

}  // namespace

TEST_CASE("the activities section has defaults and reads every key", "[activity][config]") {
    auto [defaults, ok] = read("{}");
    CHECK(ok.empty());
    CHECK(defaults.code_period.count() == 300);
    CHECK(defaults.code_grace.count() == 60);
    CHECK(defaults.opens_before.count() == 3600);
    CHECK(defaults.closes_after.count() == 3600);
    CHECK(defaults.scene_secret.empty());
    auto [c, error] = read(R"({"code_period_seconds": 120, "code_grace_seconds": 30,
        "checkin_opens_before_minutes": 30, "checkin_closes_after_minutes": 90, "max_code_failures": 5,
        "scene_secret": "0123456789abcdef"})");
    CHECK(error.empty());
    CHECK(c.code_period.count() == 120);
    CHECK(c.code_grace.count() == 30);
    CHECK(c.opens_before.count() == 1800);
    CHECK(c.closes_after.count() == 5400);
    CHECK(c.max_code_failures == 5);
    CHECK(c.scene_secret == "0123456789abcdef");
}

TEST_CASE("a bad activities section names the key", "[activity][config]") {
    CHECK(read(R"({"code_period_seconds": 30})").second.find("/activities/code_period_seconds") == 0);
    CHECK(read(R"({"code_grace_seconds": 300})").second.find("/activities/code_grace_seconds") == 0);
    CHECK(read(R"({"scene_secret": "short"})").second.find("/activities/scene_secret") == 0);
    CHECK(read(R"({"code_period": 300})").second.find("/activities/code_period") == 0);
}

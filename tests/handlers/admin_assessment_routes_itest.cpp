// The branch half-year assessment against real Redis: a seeded branch's activities, check-ins,
// leave and lectures give the score computed here by hand, with its parts; the bureau sees
// every branch best first, a secretary their own; CSV for Excel; bad input refused.
#include "handlers/activity_store.hpp"
#include "handlers/admin_routes.hpp"
#include "handlers/points_rules.hpp"
#include "handlers/roster_store.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

// 2024-01-01 00:00 Beijing time: the start of 2024H1, which holds kWxNow (2024-04-25).
constexpr std::int64_t k2024 = 1704038400;
constexpr std::int64_t kDay = 86400;

std::string audit_key() { return std::string(handlers::kRosterAuditKey); }

// An activity written straight through the store's function (its start may be in the past,
// which the API refuses), and check-ins and leave at the times given.
std::string seed(std::string const& branch, std::string const& type, std::int64_t start,
                 std::string const& status = "scheduled") {
    auto r = shared_redis().command({"FCALL", "bense_activity_put", "1", audit_key(), "cli", "cli",
                                     std::to_string(start - 10 * kDay), "*", "create", "", "secret-" + type,
                                     "type", type, "title", type, "branch", branch, "start", std::to_string(start),
                                     "end", std::to_string(start + 7200), "place", "", "opens",
                                     std::to_string(start - 3600), "closes", std::to_string(start + 10800)});
    REQUIRE(r.elements.size() == 3);
    auto const id = r.elements[1].str;
    if (status == "cancelled") {
        shared_redis().command({"FCALL", "bense_activity_cancel", "1", audit_key(), "cli", "cli",
                                std::to_string(start - kDay), "*", id, "下雨"});
    }
    return id;
}

void came(std::string const& id, std::int64_t start, std::initializer_list<char const*> members) {
    auto rules = handlers::load_points_rules(BENSE_SOURCE_DIR "/config/points.jsonc");
    REQUIRE(rules.has_value());
    for (auto const* m : members) {
        std::vector<std::string> argv{"FCALL", "bense_activity_checkin", "1", audit_key(), std::to_string(start), m,
                                      "proxy", id, "", "", "", "member:m1", m, "*", "300", "60", "10",
                                      handlers::beijing_day(start), std::to_string(handlers::beijing_year(start)),
                                      "1", handlers::checkin_rules_arg(*rules)};
        auto r = shared_redis().command(argv);
        REQUIRE(r.elements.size() == 13);
    }
}

void on_leave(std::string const& id, std::int64_t start, char const* member) {
    auto r = shared_redis().command({"FCALL", "bense_activity_leave", "1", audit_key(), std::to_string(start - kDay),
                                     member, id, "住院", "member:" + std::string(member), ""});
    REQUIRE(r.elements.size() == 5);
}

struct Seeded {
    RosterFixture f;
    std::string bureau;
    Seeded() {
        f.import_demo();
        bureau = f.bureau_token();
        // b1 (members m1, m2, m3) in 2024H1, as of 2024-04-25:
        auto const jan = k2024 + 9 * kDay, feb = k2024 + 40 * kDay, mar = k2024 + 70 * kDay, apr = k2024 + 100 * kDay;
        came(seed("b1", "party_day", jan), jan, {"m1", "m2", "m3"});
        auto const pd_feb = seed("b1", "party_day", feb);
        came(pd_feb, feb, {"m2"});
        on_leave(pd_feb, feb, "m3");
        seed("b1", "party_day", mar);  // nobody came: held all the same
        came(seed("b1", "party_day", apr), apr, {"m1", "m2"});
        seed("b1", "party_day", jan + 3 * kDay, "cancelled");  // cancelled: not held
        seed("b1", "party_day", k2024 + 140 * kDay);           // in May: not held yet
        came(seed("b1", "general_meeting", feb + kDay), feb + kDay, {"m1"});
        came(seed("b1", "committee", jan + kDay), jan + kDay, {"m1"});
        came(seed("b1", "committee", mar + kDay), mar + kDay, {"m1", "m2"});
        came(seed("b1", "party_lecture", apr + kDay), apr + kDay, {"m1", "m2", "m3"});
        seed("b1", "silver_lecture", apr + 2 * kDay);  // not on the schedule
        seed("b2", "party_day", jan);                  // another branch's
        f.award("m1", "lecture.publish", "lecture:l1", 3, kWxNow - 30 * kDay);
        f.award("m1", "lecture.publish", "lecture:l2", 3, kWxNow - 3 * kDay);
        f.award("m1", "lecture.publish", "lecture:old", 3, k2024 - 10 * kDay);  // 2023H2
    }
};

std::string str(rapidjson::Value const& v) { return {v.GetString(), v.GetStringLength()}; }

rapidjson::Value const& part(rapidjson::Value const& a, std::string const& name) {
    for (auto const& p : a["parts"].GetArray()) {
        if (str(p["part"]) == name) {
            return p;
        }
    }
    FAIL("no part " << name);
    return a;
}

}  // namespace

TEST_CASE("a seeded branch's half-year score matches the hand-computed one, part by part", "[assessment]") {
    Seeded s;
    auto r = s.f.call(verb::get, "/api/v1/admin/branches/b1/assessment?half=2024H1", {}, s.bureau);
    REQUIRE(r.status == 200);
    auto const& a = r.json;
    // 主题党日 held in Jan, Feb, Mar, Apr of six months: 4/6 of 30 = 20.
    CHECK(part(a, "schedule.party_day")["achieved"].GetDouble() == 4);
    CHECK(part(a, "schedule.party_day")["expected"].GetDouble() == 6);
    CHECK(part(a, "schedule.party_day")["points"].GetDouble() == Approx(20));
    // 支部党员大会 in Q1 only: 1/2 of 10 = 5. 支委会 in 2 of 6 months: 10/3. 党小组会: 0. 党课 Q2: 5.
    CHECK(part(a, "schedule.general_meeting")["points"].GetDouble() == Approx(5));
    CHECK(part(a, "schedule.committee")["points"].GetDouble() == Approx(10.0 / 3));
    CHECK(part(a, "schedule.group_meeting")["points"].GetDouble() == Approx(0));
    CHECK(part(a, "schedule.party_lecture")["points"].GetDouble() == Approx(5));
    // Seats over the 9 held activities (the 银发本色讲堂 too: off the schedule, but members were
    // expected there): 9 × 3 members, less m3's leave in February = 26; check-ins
    // 3 + 1 + 0 + 2 + 1 + 1 + 2 + 3 + 0 = 13: 13/26 of 20 = 10.
    CHECK(part(a, "participation")["expected"].GetDouble() == 26);
    CHECK(part(a, "participation")["achieved"].GetDouble() == 13);
    CHECK(part(a, "participation")["points"].GetDouble() == Approx(10));
    // Two lectures published in the half (the third was in 2023): 2/3 of 10.
    CHECK(part(a, "lectures")["achieved"].GetDouble() == 2);
    CHECK(part(a, "lectures")["points"].GetDouble() == Approx(20.0 / 3));
    // The care ledger does not exist yet: left out, so the score is over 95 weights.
    CHECK_FALSE(part(a, "care")["available"].GetBool());
    // 20 + 5 + 10/3 + 0 + 5 + 10 + 20/3 = 50 points of 95: 52.63…, shown 52.6.
    CHECK(a["score"].GetDouble() == Approx(52.6));
    CHECK(str(a["tier_by_score"]).empty());  // below 60
    CHECK(str(a["half"]) == "2024H1");
}

TEST_CASE("the bureau sees every branch best first, a secretary only their own", "[assessment]") {
    Seeded s;
    auto all = s.f.call(verb::get, "/api/v1/admin/assessment?half=2024H1", {}, s.bureau);
    REQUIRE(all.status == 200);
    REQUIRE(all.json["branches"].Size() == 2);
    CHECK(str(all.json["branches"][0]["branch"]) == "b1");
    CHECK(str(all.json["branches"][1]["branch"]) == "b2");
    CHECK(all.json["branches"][0]["score"].GetDouble() > all.json["branches"][1]["score"].GetDouble());
    // Without a half: the current one (kWxNow is in 2024H1).
    CHECK(s.f.call(verb::get, "/api/v1/admin/assessment", {}, s.bureau).body == all.body);
    auto const secretary = s.f.bound_session("o-wang", "m1");
    auto mine = s.f.call(verb::get, "/api/v1/admin/assessment?half=2024H1", {}, secretary);
    REQUIRE(mine.json["branches"].Size() == 1);
    CHECK(str(mine.json["branches"][0]["branch"]) == "b1");
    CHECK(s.f.call(verb::get, "/api/v1/admin/branches/b2/assessment", {}, secretary).error_code() == "auth.forbidden");
    CHECK(s.f.call(verb::get, "/api/v1/admin/branches/b9/assessment", {}, s.bureau).error_code() ==
          "branch.not_found");
    for (auto bad : {"2024", "2024H3", "H1", "2024-06"}) {
        INFO(bad);
        CHECK(s.f.call(verb::get, std::string("/api/v1/admin/assessment?half=") + bad, {}, s.bureau).error_code() ==
              "request.bad_field");
    }
    auto const member = s.f.bound_session("o-li", "m2");
    CHECK(s.f.call(verb::get, "/api/v1/admin/assessment", {}, member).status == 403);
    CHECK(s.f.call(verb::get, "/api/v1/admin/assessment").status == 401);
}

TEST_CASE("the assessment exports as CSV for Excel", "[assessment]") {
    Seeded s;
    auto csv = s.f.call(verb::get, "/api/v1/admin/assessment/export?half=2024H1", {}, s.bureau);
    REQUIRE(csv.status == 200);
    CHECK(csv.body.rfind("\xEF\xBB\xBF支部编号,", 0) == 0);
    CHECK(csv.body.find("b1,示范第一党支部,2024H1,52.6,") != std::string::npos);
    CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 3);
}

TEST_CASE("a reversed lecture is no longer counted as published", "[assessment]") {
    Seeded s;
    // m1's ledger: the seeded check-ins' points and the three lectures.
    auto ledger = s.f.call(verb::get, "/api/v1/admin/members/m1/points?count=500", {}, s.bureau);
    std::string entry;
    for (auto const& e : ledger.json["entries"].GetArray()) {
        if (str(e["reference"]) == "lecture:l2") {
            entry = str(e["id"]);
        }
    }
    REQUIRE_FALSE(entry.empty());
    REQUIRE(s.f.call(verb::post, "/api/v1/admin/members/m1/points/" + entry + "/reversal",
                     R"({"reason":"发布重复"})", s.bureau)
                .status == 201);
    auto r = s.f.call(verb::get, "/api/v1/admin/branches/b1/assessment?half=2024H1", {}, s.bureau);
    CHECK(part(r.json, "lectures")["achieved"].GetDouble() == 1);
}

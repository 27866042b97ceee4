// How the activities API writes activities, check-ins, leave, the codes and attendance (per
// activity, a member's month, a branch's month and every branch's); no I/O.
#include "handlers/activity_input.hpp"
#include "handlers/activity_json.hpp"
#include "support/json_checks.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;
using namespace bense::test;

namespace {

// 2026-12-05 09:00 Beijing time.
constexpr std::int64_t kDec5Nine = 1796432400;

Activity party_day() {
    Activity a;
    a.id = "a7";
    a.type = "party_day";
    a.title = "12月主题党日";
    a.branch = "b1";
    a.start = kDec5Nine;
    a.end = kDec5Nine + 7200;
    a.place = "光明路社区活动室";
    a.opens = kDec5Nine - 3600;
    a.closes = kDec5Nine + 10800;
    a.status = "scheduled";
    a.created_by = "member:m1";
    a.checked_in = 2;
    return a;
}

}  // namespace

TEST_CASE("an activity is written for members without who acted, for admins with the counts", "[activity]") {
    auto a = party_day();
    a.mine = "present";
    a.mine_at = kDec5Nine + 120;
    auto m = parse(activity_json(a, ActivityView::member));
    CHECK(str(m["id"]) == "a7");
    CHECK(str(m["type_name"]) == "主题党日");
    CHECK(m["start"].GetInt64() == kDec5Nine);
    CHECK(m["lat"].IsNull());
    CHECK(m["radius"].IsNull());
    CHECK(str(m["mine"]) == "present");
    CHECK(m["mine_at"].GetInt64() == kDec5Nine + 120);
    CHECK(m["recorded_at"].IsNull());
    CHECK_FALSE(m.HasMember("created_by"));
    CHECK_FALSE(m.HasMember("checked_in"));
    CHECK_FALSE(m.HasMember("secret"));
    a.lat = 34.8;
    a.lng = 117.5;
    a.radius = 200;
    auto adm = parse(activity_json(a, ActivityView::admin));
    CHECK(adm["lat"].GetDouble() == Approx(34.8));
    CHECK(adm["radius"].GetInt() == 200);
    CHECK(str(adm["created_by"]) == "member:m1");
    CHECK(adm["checked_in"].GetInt64() == 2);
    CHECK_FALSE(adm.HasMember("mine"));
    auto list = parse(activities_json({a, a}, ActivityView::admin));
    CHECK(list["activities"].Size() == 2);
}

TEST_CASE("a check-in answer says how its points went", "[activity]") {
    CheckinResult r{{false, "a7", kDec5Nine, "code", "party_day", "12月主题党日", "member:m2"},
                    AwardResult{false, "1-0", 5, "", ""}};
    CHECK(points_status(r.award) == "");
    auto j = parse(checkin_json(r));
    CHECK(str(j["activity"]) == "a7");
    CHECK(j["at"].GetInt64() == kDec5Nine);
    CHECK(str(j["channel"]) == "code");
    CHECK_FALSE(j["already"].GetBool());
    CHECK(j["points"].GetInt64() == 5);
    CHECK(str(j["points_status"]).empty());
    CHECK(checkin_response(r).result() == bense::http::status::created);
    CHECK(points_status(AwardResult{false, "1-0", 0, "daily", ""}) == "capped");
    CHECK(points_status(AwardResult{false, "1-0", 0, "", "pending"}) == "pending");
    r.record.already = true;
    r.award = AwardResult{true, "1-0", 5, "", ""};
    auto again = parse(checkin_json(r));
    CHECK(again["already"].GetBool());
    CHECK(again["points"].GetInt64() == 5);  // what the first check-in was given
    CHECK(checkin_response(r).result() == bense::http::status::ok);  // nothing new
}

TEST_CASE("the rotating code and the scanned code are written with what they open", "[activity]") {
    auto code = parse(code_json(CheckinCode{"0482", kDec5Nine + 300, "12月主题党日", kDec5Nine, kDec5Nine + 10800}));
    CHECK(str(code["code"]) == "0482");  // a string: the leading zero stays
    CHECK(code["valid_until"].GetInt64() == kDec5Nine + 300);
    CHECK(str(code["title"]) == "12月主题党日");
    CHECK(code["closes"].GetInt64() == kDec5Nine + 10800);
    auto scene = parse(scene_json("a7.3f9c0d1e2b4a5c6d", "pages/checkin/index"));
    CHECK(str(scene["scene"]) == "a7.3f9c0d1e2b4a5c6d");
    CHECK(str(scene["page"]) == "pages/checkin/index");
}

TEST_CASE("attendance counts each state once and keeps who acted for whom", "[activity]") {
    Attendance a{party_day(),
                 {{"m1", "王建国", "present", kDec5Nine, "code", "member:m1", "", ""},
                  {"m2", "李秀英", "proxied", kDec5Nine + 60, "proxy", "member:m1", "m2", ""},
                  {"m3", "张德明", "leave", kDec5Nine - 86400, "", "member:m3", "", "住院"},
                  {"m4", "赵四", "absent", 0, "", "", "", ""}}};
    auto c = count_attendance(a);
    CHECK(c.expected == 4);
    CHECK(c.present == 1);
    CHECK(c.proxied == 1);
    CHECK(c.leave == 1);
    CHECK(c.absent == 1);
    auto j = parse(attendance_json(a));
    CHECK(str(j["activity"]["id"]) == "a7");
    CHECK(j["counts"]["absent"].GetInt64() == 1);
    REQUIRE(j["members"].Size() == 4);
    CHECK(str(j["members"][1]["by"]) == "member:m1");
    CHECK(str(j["members"][1]["for"]) == "m2");
    CHECK(str(j["members"][2]["reason"]) == "住院");
    CHECK(j["members"][3]["at"].IsNull());
}

TEST_CASE("a member's month says present, leave, absent, upcoming or cancelled", "[activity]") {
    auto month = valid(parse_month_param(std::string("2026-12"), 0));
    auto past = party_day();
    auto on_leave = party_day();
    on_leave.id = "a8";
    on_leave.mine = "leave";
    on_leave.mine_at = kDec5Nine - 86400;
    auto came = party_day();
    came.id = "a9";
    came.mine = "present";
    came.mine_at = kDec5Nine + 30;
    auto cancelled = party_day();
    cancelled.id = "a10";
    cancelled.status = "cancelled";
    auto later = party_day();
    later.id = "a11";
    later.closes = kDec5Nine + 86400 * 10;
    auto j = parse(my_attendance_json(month, {past, on_leave, came, cancelled, later}, kDec5Nine + 86400));
    CHECK(str(j["month"]) == "2026-12");
    auto const& list = j["activities"];
    REQUIRE(list.Size() == 5);
    CHECK(str(list[0]["state"]) == "absent");
    CHECK(list[0]["at"].IsNull());
    CHECK(str(list[1]["state"]) == "leave");
    CHECK(str(list[2]["state"]) == "present");
    CHECK(list[2]["at"].GetInt64() == kDec5Nine + 30);
    CHECK(str(list[3]["state"]) == "cancelled");
    CHECK(str(list[4]["state"]) == "upcoming");
    CHECK(j["counts"]["present"].GetInt64() == 1);
    CHECK(j["counts"]["leave"].GetInt64() == 1);
    CHECK(j["counts"]["absent"].GetInt64() == 1);
    CHECK(j["counts"]["upcoming"].GetInt64() == 1);
}

TEST_CASE("a branch's month rates the activities held and the bureau's sums branches", "[activity]") {
    auto month = valid(parse_month_param(std::string("2026-12"), 0));
    BranchMonth b1{"b1", "示范第一党支部", 4,
                   {{"a1", "party_day", "主题党日", kDec5Nine, "scheduled", 4, 2, 1, 1},
                    {"a2", "party_lecture", "党课", kDec5Nine, "cancelled", 4, 0, 0, 0},
                    {"a3", "party_lecture", "党课", kDec5Nine + 86400 * 3, "scheduled", 4, 0, 0, 0},
                    {"a4", "silver_lecture", "讲堂", kDec5Nine, "scheduled", 4, 1, 0, 0}}};
    auto j = parse(branch_month_json(month, b1, kDec5Nine + 86400));
    CHECK(str(j["branch"]) == "b1");
    auto const& acts = j["activities"];
    REQUIRE(acts.Size() == 4);
    CHECK(acts[0]["held"].GetBool());
    CHECK(acts[0]["absent"].GetInt64() == 0);
    CHECK(acts[0]["rate"].GetDouble() == Approx(1.0));  // on leave is excused: 3 of 3
    CHECK_FALSE(acts[1]["held"].GetBool());             // cancelled
    CHECK(acts[1]["rate"].IsNull());
    CHECK_FALSE(acts[2]["held"].GetBool());             // still to come
    CHECK(acts[3]["rate"].GetDouble() == Approx(0.25));
    auto const& t = j["totals"];
    CHECK(t["activities"].GetInt64() == 2);
    CHECK(t["expected"].GetInt64() == 8);
    CHECK(t["present"].GetInt64() == 3);
    CHECK(t["proxied"].GetInt64() == 1);
    CHECK(t["leave"].GetInt64() == 1);
    CHECK(t["absent"].GetInt64() == 3);
    CHECK(t["rate"].GetDouble() == Approx(0.571));  // 4 of 7
    CHECK(attendance_rate(0, 0) == 0);
    CHECK(attendance_rate(3, 1) == Approx(0.333));

    BranchMonth b2{"b2", "示范第二党支部", 1, {{"a1", "party_day", "主题党日", kDec5Nine, "scheduled", 1, 1, 0, 0}}};
    auto all = parse(all_months_json(month, {b1, b2}, kDec5Nine + 86400));
    REQUIRE(all["branches"].Size() == 2);
    CHECK(str(all["branches"][1]["branch"]) == "b2");
    CHECK(all["branches"][1]["rate"].GetDouble() == Approx(1.0));
    CHECK(all["totals"]["activities"].GetInt64() == 2);  // a1 is one activity in both branches
    CHECK(all["totals"]["expected"].GetInt64() == 9);
    CHECK(all["totals"]["present"].GetInt64() == 4);
    CHECK_FALSE(all.HasMember("ranking"));
}

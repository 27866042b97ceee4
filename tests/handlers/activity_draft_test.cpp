// An activity as a secretary describes it through the admin API: read from JSON, completed
// with the defaults (end, check-in window) and checked into the fields the store writes; no I/O.
#include "handlers/activity_draft.hpp"
#include "support/json_checks.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace bense::handlers;
using namespace bense::test;

namespace {

// 2026-12-05 09:00 Beijing time, and a "now" a day before it.
constexpr std::int64_t kStart = 1796432400;
constexpr std::int64_t kNow = kStart - 86400;

std::map<std::string, std::string> as_map(ActivityFields const& f) {
    REQUIRE(f.size() % 2 == 0);
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < f.size(); i += 2) {
        out[f[i]] = f[i + 1];
    }
    return out;
}

ActivityDraft draft(std::string const& json, ActivityDraft base = {}, bool creating = true) {
    auto d = parse_activity_input(parse(json), std::move(base), creating);
    INFO(json << ": " << (d ? std::string() : d.error().reason));
    REQUIRE(d.has_value());
    return *d;
}

std::string json_of(std::string const& extra) {
    return R"({"type":"party_day","title":"12月主题党日","branch":"b1","start":)" + std::to_string(kStart) + extra + "}";
}

// The sentence refusing a draft that parses.
std::string refused(ActivityDraft const& d) {
    auto f = activity_fields(d, ActivityConfig{}, kNow);
    REQUIRE_FALSE(f.has_value());
    return f.error().reason;
}

std::string parse_refused(std::string const& json, bool creating = true) {
    auto d = parse_activity_input(parse(json), ActivityDraft{}, creating);
    REQUIRE_FALSE(d.has_value());
    return d.error().reason;
}

}  // namespace

TEST_CASE("a new activity gets its end and check-in window by default", "[activity][draft]") {
    auto f = activity_fields(draft(json_of("")), ActivityConfig{}, kNow);
    REQUIRE(f.has_value());
    auto m = as_map(*f);
    CHECK(m["type"] == "party_day");
    CHECK(m["title"] == "12月主题党日");
    CHECK(m["branch"] == "b1");
    CHECK(m["start"] == std::to_string(kStart));
    CHECK(m["end"] == std::to_string(kStart + kDefaultActivityLength));
    CHECK(m["opens"] == std::to_string(kStart - 3600));
    CHECK(m["closes"] == std::to_string(kStart + kDefaultActivityLength + 3600));
    CHECK(m["place"].empty());
    CHECK(m["lat"].empty());
    CHECK(m["radius"].empty());
    // The margins come from the config.
    ActivityConfig wide;
    wide.opens_before = std::chrono::minutes(30);
    wide.closes_after = std::chrono::minutes(90);
    auto w = as_map(valid(activity_fields(draft(json_of(R"(,"end":)" + std::to_string(kStart + 3600))), wide, kNow)));
    CHECK(w["opens"] == std::to_string(kStart - 1800));
    CHECK(w["closes"] == std::to_string(kStart + 3600 + 5400));
}

TEST_CASE("the type comes from its code, its Chinese name or the title", "[activity][draft]") {
    auto type_of = [](std::string const& json) {
        return as_map(valid(activity_fields(draft(json), ActivityConfig{}, kNow)))["type"];
    };
    auto const start = std::to_string(kStart);
    CHECK(type_of(R"({"type":"党课","title":"党课：初心","branch":"b1","start":)" + start + "}") == "party_lecture");
    CHECK(type_of(R"({"title":"12月主题党日","branch":"b1","start":)" + start + "}") == "party_day");
    CHECK(type_of(R"({"title":"银发本色讲堂第三讲","branch":"*","start":)" + start + "}") == "silver_lecture");
    CHECK(type_of(R"({"title":"茶话会","branch":"b1","start":)" + start + "}") == "other");
    auto d = draft(json_of(""));
    d.type = "picnic";
    CHECK(refused(d).find("活动类型") != std::string::npos);
}

TEST_CASE("a geofence is all three of latitude, longitude and radius, within range", "[activity][draft]") {
    auto m = as_map(valid(
        activity_fields(draft(json_of(R"(,"lat":34.8,"lng":117.5,"radius":200,"place":"  活动室 ")")), ActivityConfig{}, kNow)));
    CHECK(m["lat"] == "34.800000");
    CHECK(m["lng"] == "117.500000");
    CHECK(m["radius"] == "200");
    CHECK(m["place"] == "活动室");  // trimmed
    CHECK(refused(draft(json_of(R"(,"lat":34.8,"lng":117.5)"))).find("同时") != std::string::npos);
    CHECK(refused(draft(json_of(R"(,"radius":200)"))).find("同时") != std::string::npos);
    CHECK(refused(draft(json_of(R"(,"lat":91,"lng":117.5,"radius":200)"))).find("纬度") != std::string::npos);
    CHECK(refused(draft(json_of(R"(,"lat":34,"lng":-181,"radius":200)"))).find("经度") != std::string::npos);
    CHECK(refused(draft(json_of(R"(,"lat":34,"lng":117,"radius":19)"))).find("20到5000") != std::string::npos);
    CHECK(refused(draft(json_of(R"(,"lat":34,"lng":117,"radius":5001)"))).find("20到5000") != std::string::npos);
    CHECK(activity_fields(draft(json_of(R"(,"lat":34,"lng":117,"radius":20)")), ActivityConfig{}, kNow).has_value());
}

TEST_CASE("every bad field of a draft is refused with one sentence", "[activity][draft]") {
    auto d = draft(json_of(""));
    auto with = [&](auto change) {
        auto copy = d;
        change(copy);
        return refused(copy);
    };
    CHECK(with([](ActivityDraft& x) { x.title = "  "; }).find("1到40") != std::string::npos);
    CHECK(with([](ActivityDraft& x) {
              x.title.clear();
              for (int i = 0; i < 41; ++i) {
                  x.title += "会";
              }
          }).find("1到40") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.title = "会\x01议"; }).find("1到40") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.place = std::string(61, 'a'); }).find("60") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.branch.clear(); }).find("支部") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.start = kNow; }).find("过去") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.end = x.start; }).find("晚于") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.end = x.start + 3 * 86400 + 1; }).find("三天") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.opens = x.start + 1; }).find("签到时间") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.opens = x.start - 86401; }).find("签到时间") != std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.closes = x.start + kDefaultActivityLength - 1; }).find("签到时间") !=
          std::string::npos);
    CHECK(with([](ActivityDraft& x) { x.closes = x.start + kDefaultActivityLength + 86401; }).find("签到时间") !=
          std::string::npos);
    // The edges themselves are fine: a window from the start to the end, a three-day camp.
    auto edge = d;
    edge.opens = edge.start;
    edge.closes = edge.start + kDefaultActivityLength;
    CHECK(activity_fields(edge, ActivityConfig{}, kNow).has_value());
    edge.end = edge.start + 3 * 86400;
    edge.closes = *edge.end + 86400;
    edge.opens = edge.start - 86400;
    CHECK(activity_fields(edge, ActivityConfig{}, kNow).has_value());
}

TEST_CASE("the JSON of a draft: known keys of the right types, a start to create", "[activity][draft]") {
    auto const start = std::to_string(kStart);
    CHECK(parse_refused(json_of(R"(,"colour":"red")")).find("colour") != std::string::npos);
    CHECK(parse_refused(R"({"title":5,"branch":"b1","start":)" + start + "}").find("文字") != std::string::npos);
    CHECK(parse_refused(R"({"title":"会","branch":"b1","start":"明天"})").find("Unix") != std::string::npos);
    CHECK(parse_refused(R"({"title":"会","branch":"b1"})").find("开始时间") != std::string::npos);
    CHECK(parse_refused(R"({"title":"会","branch":"b1","start":null})").find("开始时间") != std::string::npos);
    CHECK(parse_refused(json_of(R"(,"radius":20.5)")).find("整数") != std::string::npos);
    CHECK(parse_refused(json_of(R"(,"lat":"34.8")")).find("数字") != std::string::npos);
    CHECK(parse_refused(json_of(R"(,"end":1.5)")).find("Unix") != std::string::npos);
}

TEST_CASE("a change applies what is sent to the stored activity", "[activity][draft]") {
    Activity stored;
    stored.id = "a1";
    stored.type = "party_day";
    stored.title = "12月主题党日";
    stored.branch = "b1";
    stored.start = kStart;
    stored.end = kStart + 7200;
    stored.place = "活动室";
    stored.lat = 34.8;
    stored.lng = 117.5;
    stored.radius = 200;
    stored.opens = kStart - 3600;
    stored.closes = kStart + 10800;
    auto const base = draft_of(stored);
    // Unchanged, the stored activity makes the same fields again.
    auto same = as_map(valid(activity_fields(draft("{}", base, false), ActivityConfig{}, kNow)));
    CHECK(same["lat"] == "34.800000");
    CHECK(same["closes"] == std::to_string(kStart + 10800));
    // Moving the start moves the whole activity, window included.
    auto moved = draft(R"({"start":)" + std::to_string(kStart + 86400) + "}", base, false);
    CHECK(moved.start == kStart + 86400);
    CHECK(moved.end == kStart + 86400 + 7200);
    CHECK(moved.opens == kStart + 86400 - 3600);
    CHECK(moved.closes == kStart + 86400 + 10800);
    // A time sent with the new start stays as sent; the others move along.
    auto both = draft(R"({"start":)" + std::to_string(kStart + 86400) + R"(,"end":)" +
                          std::to_string(kStart + 86400 + 3600) + "}",
                      base, false);
    CHECK(both.end == kStart + 86400 + 3600);
    CHECK(both.opens == kStart + 86400 - 3600);
    // A new title, the geofence taken away, the end back to its default.
    auto other = draft(R"({"title":"改期的主题党日","lat":null,"lng":null,"radius":null,"end":null})", base, false);
    CHECK(other.title == "改期的主题党日");
    CHECK(other.type == "party_day");
    CHECK_FALSE(other.lat);
    CHECK_FALSE(other.radius);
    CHECK_FALSE(other.end);
    auto f = as_map(valid(activity_fields(other, ActivityConfig{}, kNow)));
    CHECK(f["lat"].empty());
    CHECK(f["end"] == std::to_string(kStart + kDefaultActivityLength));
    // The branch stays: naming it again is fine, naming another is refused.
    CHECK(draft(R"({"branch":"b1"})", base, false).branch == "b1");
    auto moved_branch = parse_activity_input(parse(R"({"branch":"b2"})"), base, false);
    REQUIRE_FALSE(moved_branch.has_value());
    CHECK(moved_branch.error().reason.find("不能修改") != std::string::npos);
}

// The secretaries' guided conversations 新建活动, 修改活动 and 取消活动 through the gateway, against
// real Redis and the injected clock: every step, a bad answer asked again, "取消" midway, the
// conversation's timeout, and what the store holds after the confirmation (and before it: nothing).
#include "handlers/beijing_time.hpp"
#include "handlers/bot_conversation.hpp"
#include "handlers/roster_store.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

#include <charconv>
#include <chrono>
#include <thread>

using namespace bense;
using namespace bense::test;
using handlers::beijing_month_day_time;
using http::verb;

namespace {

constexpr std::int64_t kDay = 86400;
// Tomorrow (Friday 26 April 2024) at 9:00 and 15:00, Beijing time.
std::int64_t const kNineTomorrow = handlers::beijing_midnight(kWxNow) + kDay + 9 * 3600;
std::int64_t const kThreeTomorrow = kNineTomorrow + 6 * 3600;

struct Chat {
    RosterFixture f;
    server::Templates t = project_templates();
    int next = 1;

    Chat() { f.import_demo(); }

    // One text message from `openid`, signed at the clock's time; the reply's text.
    std::string say(std::string const& openid, std::string const& words) {
        auto p = plain_push(text_xml(openid, words, std::to_string(next++)), f.clock->now_seconds());
        return cdata(f.call(verb::post, p.target, p.body, {}, "text/xml").body, "Content");
    }
    void bind(std::string const& openid, std::string const& number) {
        REQUIRE(say(openid, "绑定 " + f.code_for(number)).starts_with("绑定成功"));
    }
    std::string text(std::string_view key, server::TemplateArgs args = {}) const { return t.render(key, args); }
};

std::string field(std::string const& id, std::string const& name) {
    return std::string(shared_redis().command({"HGET", "bense:{roster}:activity:" + id, name}).str);
}

long long activities_made() {
    auto const r = shared_redis().command({"GET", "bense:{roster}:activity:seq"});
    long long n = 0;
    std::from_chars(r.str.data(), r.str.data() + r.str.size(), n);
    return n;
}

bool in_conversation(std::string const& openid) {
    return shared_redis().command({"EXISTS", handlers::conversation_key(openid)}).integer == 1;
}

// An activity straight in the store: two hours, check-in from an hour before to an hour after.
std::string make_activity(std::string const& branch, std::string const& title, std::int64_t start) {
    auto r = shared_redis().command(
        {"FCALL", "bense_activity_put", "1", std::string(handlers::kRosterAuditKey), "cli", "cli",
         std::to_string(kWxNow), "*", "create", "", "secret:" + title, "type", "party_day", "title", title, "branch",
         branch, "start", std::to_string(start), "end", std::to_string(start + 7200), "place", "社区活动室", "opens",
         std::to_string(start - 3600), "closes", std::to_string(start + 3 * 3600)});
    REQUIRE(r.elements.size() == 3);
    return std::string(r.elements[1].str);
}

}  // namespace

TEST_CASE("新建活动: title, a bad time asked again, place, then 确认 creates it", "[activity][bot]") {
    Chat c;
    c.bind("oa-wang", "m1");
    CHECK(c.say("oa-wang", "新建活动") == c.text("activity.new.ask_title"));
    CHECK(c.say("oa-wang", std::string(41, 'a')) == c.text("activity.new.bad_title"));
    CHECK(c.say("oa-wang", "4月主题党日") == c.text("activity.new.ask_time"));
    CHECK(c.say("oa-wang", "明天") ==
          c.text("activity.new.bad_time", {{"reason", "请写上几点开始，例如：12月5日 14:30"}}));
    CHECK(c.say("oa-wang", "开会的时候") ==
          c.text("activity.new.bad_time", {{"reason", "没看懂时间，请这样写：12月5日 14:30"}}));
    CHECK(c.say("oa-wang", "明天上午9点") == c.text("activity.new.ask_place"));
    auto const when = beijing_month_day_time(kNineTomorrow);
    CHECK(c.say("oa-wang", "社区活动室") ==
          c.text("activity.new.confirm",
                 {{"type", "主题党日"}, {"title", "4月主题党日"}, {"time", when}, {"place", "社区活动室"}}));
    CHECK(activities_made() == 0);
    CHECK(c.say("oa-wang", "嗯") == c.text("activity.new.confirm_again"));
    CHECK(c.say("oa-wang", "确认") == c.text("activity.new.done", {{"title", "4月主题党日"}, {"time", when}}));
    CHECK_FALSE(in_conversation("oa-wang"));

    REQUIRE(activities_made() == 1);
    CHECK(field("a1", "type") == "party_day");
    CHECK(field("a1", "title") == "4月主题党日");
    CHECK(field("a1", "branch") == "b1");
    CHECK(field("a1", "start") == std::to_string(kNineTomorrow));
    CHECK(field("a1", "end") == std::to_string(kNineTomorrow + 7200));
    CHECK(field("a1", "opens") == std::to_string(kNineTomorrow - 3600));
    CHECK(field("a1", "closes") == std::to_string(kNineTomorrow + 3 * 3600));
    CHECK(field("a1", "place") == "社区活动室");
    CHECK(field("a1", "created_by") == "member:m1");
    CHECK(field("a1", "secret").size() == 32);
    CHECK(c.say("oa-wang", "签到码") ==
          c.text("activity.code.next", {{"title", "4月主题党日"}, {"time", beijing_month_day_time(kNineTomorrow - 3600)}}));
}

TEST_CASE("新建活动 with the title at once, a range, no place, the bureau's are city-wide", "[activity][bot]") {
    Chat c;
    auto const csv = "编号,姓名,支部,手机号,角色,状态,使用智能手机\nm7,刘明,b1,,老干部局,正常,是\n";
    REQUIRE(c.f.call(verb::post, "/api/v1/admin/roster/import", csv, c.f.bureau_token("more"), "text/csv").status == 200);
    c.bind("oa-liu", "m7");
    CHECK(c.say("oa-liu", "新建活动 银发本色讲堂") == c.text("activity.new.ask_time"));
    CHECK(c.say("oa-liu", "明天3点到5点") == c.text("activity.new.ask_place"));  // 3点 is 15:00
    auto const when = beijing_month_day_time(kThreeTomorrow) + "-17:00";
    CHECK(c.say("oa-liu", "无") == c.text("activity.new.confirm", {{"type", "银发本色讲堂"},
                                                                    {"title", "银发本色讲堂"},
                                                                    {"time", when},
                                                                    {"place", c.text("activity.place.none")}}));
    SECTION("the start passes before the confirmation: asked again, the place kept") {
        c.f.clock->set(kThreeTomorrow + 60);
        CHECK(c.say("oa-liu", "确认") ==
              c.text("activity.new.failed", {{"reason", "开始时间已经过去了，请写以后的时间。"}}));
        CHECK(c.say("oa-liu", "明天上午9点").find("地点：" + c.text("activity.place.none")) != std::string::npos);
        CHECK(c.say("oa-liu", "好的").starts_with("活动建好了"));
        CHECK(field("a1", "start") == std::to_string(kNineTomorrow + kDay));
    }
    SECTION("confirmed") {
        CHECK(c.say("oa-liu", "确认") == c.text("activity.new.done", {{"title", "银发本色讲堂"}, {"time", when}}));
        CHECK(field("a1", "branch") == "*");
        CHECK(field("a1", "type") == "silver_lecture");
        CHECK(field("a1", "place").empty());
        CHECK(field("a1", "end") == std::to_string(kThreeTomorrow + 7200));
    }
}

TEST_CASE("新建活动 ends on 取消 at any step and after its timeout, creating nothing", "[activity][bot]") {
    Chat c;
    c.bind("oa-wang", "m1");
    for (int steps = 0; steps < 4; ++steps) {
        INFO(steps << " answers before 取消");
        std::vector<std::string> const answers{"新建活动", "党课", "明天下午3点", "社区活动室"};
        for (int i = 0; i <= steps; ++i) {
            c.say("oa-wang", answers[i]);
        }
        CHECK(in_conversation("oa-wang"));
        CHECK(c.say("oa-wang", "取消") == c.text("bot.cancelled"));
        CHECK_FALSE(in_conversation("oa-wang"));
        CHECK(c.say("oa-wang", "确认") == c.text("bot.help"));
    }
    CHECK(c.say("oa-wang", "新建活动 党课") == c.text("activity.new.ask_time"));
    CHECK(c.say("oa-wang", "明天下午3点") == c.text("activity.new.ask_place"));
    auto const key = handlers::conversation_key("oa-wang");
    auto const ttl = shared_redis().command({"PTTL", key}).integer;
    CHECK(ttl > 0);
    CHECK(ttl <= 10 * 60 * 1000);
    // The ten minutes run out (the timeout is Redis's own, so it is shortened here).
    shared_redis().command({"PEXPIRE", key, "1"});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(c.say("oa-wang", "社区活动室") == c.text("bot.help"));
    CHECK(c.say("oa-wang", "确认") == c.text("bot.help"));
    CHECK(activities_made() == 0);
}

TEST_CASE("修改活动: choose, say what changes, confirm, the store takes it", "[activity][bot]") {
    Chat c;
    c.bind("oa-wang", "m1");
    c.bind("oa-chen", "m9");
    auto const id = make_activity("b1", "4月主题党日", kNineTomorrow);
    make_activity("b1", "已开过的会", kWxNow - 3600);  // started already: not offered
    auto const list = c.text("activity.pick.item",
                             {{"n", "1"}, {"title", "4月主题党日"}, {"time", beijing_month_day_time(kNineTomorrow)}});
    CHECK(c.say("oa-wang", "修改活动") == c.text("activity.edit.pick", {{"list", list}}));
    CHECK(c.say("oa-wang", "2") == c.text("activity.pick.again"));
    CHECK(c.say("oa-wang", "1") == c.text("activity.edit.ask", {{"title", "4月主题党日"}}));
    CHECK(c.say("oa-wang", "颜色 红色") == c.text("activity.edit.ask_again"));
    CHECK(c.say("oa-wang", "时间 明天") ==
          c.text("activity.new.bad_time", {{"reason", "请写上几点开始，例如：12月5日 14:30"}}));
    auto const three = beijing_month_day_time(kThreeTomorrow);
    CHECK(c.say("oa-wang", "时间 明天下午3点") ==
          c.text("activity.edit.confirm_time", {{"title", "4月主题党日"}, {"value", three}}));
    CHECK(field(id, "start") == std::to_string(kNineTomorrow));  // nothing before 确认
    CHECK(c.say("oa-wang", "确认") ==
          c.text("activity.edit.done", {{"title", "4月主题党日"}, {"time", three}, {"place", "社区活动室"}}));
    CHECK(field(id, "start") == std::to_string(kThreeTomorrow));
    CHECK(field(id, "end") == std::to_string(kThreeTomorrow + 7200));
    CHECK(field(id, "opens") == std::to_string(kThreeTomorrow - 3600));
    CHECK(field(id, "closes") == std::to_string(kThreeTomorrow + 3 * 3600));

    c.say("oa-wang", "修改活动");
    c.say("oa-wang", "1");
    CHECK(c.say("oa-wang", "地点：党员活动室") ==
          c.text("activity.edit.confirm_place", {{"title", "4月主题党日"}, {"value", "党员活动室"}}));
    CHECK(c.say("oa-wang", "好") ==
          c.text("activity.edit.done", {{"title", "4月主题党日"}, {"time", three}, {"place", "党员活动室"}}));
    c.say("oa-wang", "修改活动");
    c.say("oa-wang", "1");
    CHECK(c.say("oa-wang", "名称 五月主题党日") ==
          c.text("activity.edit.confirm_title", {{"title", "4月主题党日"}, {"value", "五月主题党日"}}));
    CHECK(c.say("oa-wang", "确认").starts_with("改好了：五月主题党日"));
    CHECK(field(id, "title") == "五月主题党日");
    c.say("oa-wang", "修改活动");
    c.say("oa-wang", "1");
    c.say("oa-wang", "名称 五月主题党日");
    CHECK(c.say("oa-wang", "确认") == c.text("activity.edit.unchanged"));

    CHECK(c.say("oa-chen", "修改活动") == c.text("activity.edit.none"));  // b2 sees none of b1's
}

TEST_CASE("取消活动: choose, give a reason, confirm, anything else keeps it", "[activity][bot]") {
    Chat c;
    c.bind("oa-wang", "m1");
    c.bind("oa-li", "m2");
    c.bind("oa-chen", "m9");
    make_activity("b1", "4月主题党日", kNineTomorrow);
    auto const id = make_activity("b1", "党小组会", kThreeTomorrow);
    auto const nine = beijing_month_day_time(kNineTomorrow);
    auto const three = beijing_month_day_time(kThreeTomorrow);
    auto const list = c.text("activity.pick.item", {{"n", "1"}, {"title", "4月主题党日"}, {"time", nine}}) + "\n" +
                      c.text("activity.pick.item", {{"n", "2"}, {"title", "党小组会"}, {"time", three}});
    CHECK(c.say("oa-wang", "取消活动") == c.text("activity.cancel.pick", {{"list", list}}));
    CHECK(c.say("oa-wang", "3") == c.text("activity.pick.again"));
    CHECK(c.say("oa-wang", "2") == c.text("activity.cancel.ask_reason", {{"title", "党小组会"}}));
    CHECK(c.say("oa-wang", "下大雨") == c.text("activity.cancel.confirm", {{"title", "党小组会"}, {"time", three}}));
    CHECK(c.say("oa-wang", "不") == c.text("activity.cancel.kept", {{"title", "党小组会"}}));
    CHECK(field(id, "status") == "scheduled");
    CHECK_FALSE(in_conversation("oa-wang"));

    c.say("oa-wang", "取消活动");
    c.say("oa-wang", "2");
    c.say("oa-wang", "下大雨");
    CHECK(c.say("oa-wang", "确认") == c.text("activity.cancel.done", {{"title", "党小组会"}, {"time", three}}));
    CHECK(field(id, "status") == "cancelled");
    CHECK(field(id, "cancel_reason") == "下大雨");
    CHECK(c.say("oa-li", "活动").find("党小组会") == std::string::npos);

    c.say("oa-wang", "取消活动");
    c.say("oa-wang", "1");
    c.say("oa-wang", "无");
    CHECK(c.say("oa-wang", "确认") == c.text("activity.cancel.done", {{"title", "4月主题党日"}, {"time", nine}}));
    CHECK(field("a1", "cancel_reason").empty());
    CHECK(c.say("oa-wang", "取消活动") == c.text("activity.cancel.none"));
    CHECK(c.say("oa-chen", "取消活动") == c.text("activity.cancel.none"));
}

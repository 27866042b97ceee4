// The activity commands of the chat against real Redis, the in-process server and the
// injected clock: 签到码 and 签到 (in person, by a family member, every refusal), 代签 by name,
// 请假, 活动 and 统计, and who may use which.
#include "handlers/beijing_time.hpp"
#include "handlers/roster_store.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using handlers::beijing_clock;
using handlers::beijing_month_day_time;
using http::verb;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kSoon = kWxNow + 1800;  // starts in half an hour: check-in is open now

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
    void bind(std::string const& openid, std::string const& number, std::string const& kind = "self") {
        INFO(openid << " binds to " << number);
        REQUIRE(say(openid, "绑定 " + f.code_for(number, kind)).starts_with("绑定成功"));
    }
    std::string text(std::string_view key, server::TemplateArgs args = {}) const { return t.render(key, args); }
    // More members of the roster, as CSV rows "number,name,branch,phone,roles,status,smartphone".
    void add_members(std::string const& rows) {
        auto const csv = "编号,姓名,支部,手机号,角色,状态,使用智能手机\n" + rows;
        auto a = f.call(verb::post, "/api/v1/admin/roster/import", csv, f.bureau_token("more"), "text/csv");
        REQUIRE(a.status == 200);
    }
};

// An activity straight in the store, as the admin API writes one: two hours long, check-in from
// an hour before the start to an hour after the end.
std::string make_activity(std::string const& branch, std::string const& title, std::int64_t start,
                          std::string const& type = "party_day", std::string const& place = "社区活动室") {
    auto r = shared_redis().command(
        {"FCALL", "bense_activity_put", "1", std::string(handlers::kRosterAuditKey), "cli", "cli",
         std::to_string(kWxNow), "*", "create", "", "secret:" + title, "type", type, "title", title, "branch", branch,
         "start", std::to_string(start), "end", std::to_string(start + 7200), "place", place, "opens",
         std::to_string(start - 3600), "closes", std::to_string(start + 3 * 3600)});
    REQUIRE(r.type == server::RedisReply::Type::array);
    REQUIRE(r.elements.size() == 3);
    return std::string(r.elements[1].str);
}

std::string hget(std::string const& key, std::string const& field) {
    return std::string(shared_redis().command({"HGET", "bense:{roster}:" + key, field}).str);
}

// The 4 digits after `marker` in a reply.
std::string code_in(std::string const& reply, std::string const& marker = "签到码：") {
    auto const at = reply.find(marker);
    INFO(reply);
    REQUIRE(at != std::string::npos);
    return reply.substr(at + marker.size(), 4);
}

std::string spoken(std::string const& digits) {
    static char const* const kSaid[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    std::string out;
    for (char d : digits) {
        out += kSaid[d - '0'];
    }
    return out;
}

}  // namespace

TEST_CASE("签到码 for the secretary, then 签到 with it in person and by a family member", "[activity][bot]") {
    Chat c;
    auto const id = make_activity("b1", "4月主题党日", kSoon);
    c.bind("oa-wang", "m1");
    c.bind("oa-li", "m2");
    c.bind("oa-zhang-son", "m3", "proxy");
    auto const shown = c.say("oa-wang", "签到码");
    auto const code = code_in(shown);
    // The code changes every 5 minutes; kWxNow is 4 s short of a change, so it is good for 5.
    CHECK(shown == c.text("activity.code.one", {{"title", "4月主题党日"}, {"code", code}, {"minutes", "5"}}));

    auto const first = beijing_clock(kWxNow);
    CHECK(c.say("oa-li", "签到 " + code) ==
          c.text("activity.checkin.ok", {{"title", "4月主题党日"}, {"time", first}, {"points", "5"}}));
    c.f.clock->set(kWxNow + 120);
    CHECK(c.say("oa-li", "签到" + code) == c.text("activity.checkin.already", {{"time", first}}));
    CHECK(c.say("oa-zhang-son", "签到" + spoken(code)) ==
          c.text("activity.checkin.ok",
                 {{"title", "4月主题党日"}, {"time", beijing_clock(kWxNow + 120)}, {"points", "5"}}));
    auto const checkins = "activity:" + id + ":checkins";
    CHECK(hget(checkins, "m2") == std::to_string(kWxNow) + "|code|member:m2|");
    CHECK(hget(checkins, "m3") == std::to_string(kWxNow + 120) + "|code|wx:oa:oa-zhang-son|m3");

    CHECK(c.say("oa-li", "签到") == c.text("activity.checkin.ask"));
    CHECK(c.say("oa-li", "签到 12") == c.text("activity.checkin.ask"));
    CHECK(c.say("oa-stranger", "签到 " + code) == c.text("bot.bind.ask"));
}

TEST_CASE("签到 refusals: a wrong code, another branch's, an expired one, a closed window", "[activity][bot]") {
    Chat c;
    make_activity("b1", "4月主题党日", kSoon);
    make_activity("b2", "二支部主题党日", kSoon);
    c.bind("oa-wang", "m1");
    c.bind("oa-li", "m2");
    c.bind("oa-zhang", "m3");
    c.bind("oa-chen", "m9");
    auto const code = code_in(c.say("oa-wang", "签到码"));
    auto wrong = code;
    wrong[3] = wrong[3] == '9' ? '0' : static_cast<char>(wrong[3] + 1);
    CHECK(c.say("oa-li", "签到 " + wrong) == c.text("error.checkin.code_wrong"));
    // b1's code is no code of anything a member of b2 may attend.
    CHECK(c.say("oa-chen", "签到 " + code) == c.text("error.checkin.code_wrong"));

    c.f.clock->set(kWxNow + 300);  // the code has just changed: the last one is still taken
    CHECK(c.say("oa-zhang", "签到 " + code).starts_with("签到成功！4月主题党日"));
    c.f.clock->set(kWxNow + 361);  // past the minute of grace
    CHECK(c.say("oa-li", "签到 " + code) == c.text("error.checkin.code_expired"));

    c.f.clock->set(kSoon + 3 * 3600 + 1);  // an hour after the end: closed
    CHECK(c.say("oa-li", "签到 " + code) == c.text("error.checkin.nothing_open"));
}

TEST_CASE("several open at once: 签到码 lists each, points stop at the daily cap or wait", "[activity][bot]") {
    Chat c;
    make_activity("b1", "主题党日一", kSoon);
    make_activity("b1", "主题党日二", kSoon + 60);
    make_activity("b1", "主题党日三", kSoon + 120);
    make_activity("b1", "志愿服务", kSoon + 180, "volunteer");
    c.bind("oa-wang", "m1");
    c.bind("oa-li", "m2");
    auto const shown = c.say("oa-wang", "签到码");
    std::string items;
    std::vector<std::string> codes;
    for (auto const* title : {"主题党日一", "主题党日二", "主题党日三", "志愿服务"}) {
        codes.push_back(code_in(shown, std::string(title) + "：签到码 "));
        items += "\n" + c.text("activity.code.item", {{"title", title}, {"code", codes.back()}, {"minutes", "5"}});
    }
    CHECK(shown == c.text("activity.code.many", {{"count", "4"}, {"items", items}}));
    auto const at = beijing_clock(kWxNow);
    CHECK(c.say("oa-li", "签到 " + codes[0]) ==
          c.text("activity.checkin.ok", {{"title", "主题党日一"}, {"time", at}, {"points", "5"}}));
    CHECK(c.say("oa-li", "签到 " + codes[1]).starts_with("签到成功！主题党日二"));
    CHECK(c.say("oa-li", "签到 " + codes[2]) ==
          c.text("activity.checkin.capped", {{"title", "主题党日三"}, {"time", at}}));
    CHECK(c.say("oa-li", "签到 " + codes[3]) ==
          c.text("activity.checkin.pending", {{"title", "志愿服务"}, {"time", at}, {"points", "3"}}));
}

TEST_CASE("签到码 says when check-in opens next, secretaries only, in person", "[activity][bot]") {
    Chat c;
    c.bind("oa-wang", "m1");
    c.bind("oa-chen", "m9");
    c.bind("oa-li", "m2");
    c.bind("oa-wang-wife", "m1", "proxy");
    make_activity("b1", "党课：红船精神", kWxNow + kDay, "party_lecture");
    CHECK(c.say("oa-wang", "签到码") ==
          c.text("activity.code.next",
                 {{"title", "党课：红船精神"}, {"time", beijing_month_day_time(kWxNow + kDay - 3600)}}));
    CHECK(c.say("oa-chen", "签到码") == c.text("activity.code.none"));
    for (auto const* command : {"签到码", "代签 张德明", "统计", "新建活动", "修改活动", "取消活动"}) {
        INFO(command);
        CHECK(c.say("oa-li", command) == c.text("activity.admin_only"));
        CHECK(c.say("oa-wang-wife", command) == c.text("activity.admin_only"));
        CHECK(c.say("oa-nobody", command) == c.text("bot.bind.ask"));
    }
}

TEST_CASE("代签 by name: exact first, then near names, several asked back, others refused", "[activity][bot]") {
    Chat c;
    c.add_members("m4,张德民,b1,,,正常,否\n");
    auto const id = make_activity("b1", "4月主题党日", kSoon);
    c.bind("oa-wang", "m1");
    c.bind("oa-li", "m2");
    auto const at = beijing_clock(kWxNow);
    auto const ok = [&](char const* name) {
        return c.text("activity.proxy.ok", {{"name", name}, {"title", "4月主题党日"}, {"time", at}});
    };
    CHECK(c.say("oa-wang", "代签") == c.text("activity.proxy.ask"));
    CHECK(c.say("oa-wang", "代签 张得明") == ok("张德明"));  // one character off 张德明, two off 张德民
    CHECK(hget("activity:" + id + ":checkins", "m3") == std::to_string(kWxNow) + "|proxy|member:m1|m3");
    // An exact name wins over 张德民, one character off it.
    CHECK(c.say("oa-wang", "代签 张德明") == c.text("activity.proxy.already", {{"name", "张德明"}, {"time", at}}));

    auto const list = c.text("activity.proxy.item", {{"n", "1"}, {"name", "张德明"}, {"number", "m3"}}) + "\n" +
                      c.text("activity.proxy.item", {{"n", "2"}, {"name", "张德民"}, {"number", "m4"}});
    CHECK(c.say("oa-wang", "代签 张德") == c.text("activity.proxy.pick", {{"list", list}}));
    CHECK(c.say("oa-wang", "3") == c.text("activity.pick.again"));
    CHECK(c.say("oa-wang", "二") == ok("张德民"));
    CHECK(c.say("oa-wang", "代签 秀英") == ok("李秀英"));
    CHECK(c.say("oa-wang", "代签 赵六") == c.text("activity.proxy.unknown", {{"name", "赵六"}}));
    CHECK(c.say("oa-wang", "代签 陈志强") == c.text("activity.proxy.unknown", {{"name", "陈志强"}}));  // of b2

    c.f.clock->set(kSoon + 4 * 3600);
    CHECK(c.say("oa-wang", "代签 王建国") == c.text("activity.proxy.nothing_open"));
}

TEST_CASE("请假 for the next activity, asking which one and why when it must", "[activity][bot]") {
    Chat c;
    auto const day = make_activity("b1", "4月主题党日", kWxNow + kDay);
    auto const talk = make_activity("*", "银发本色讲堂", kWxNow + 3 * kDay, "silver_lecture", "");
    make_activity("b2", "二支部党课", kWxNow + 10 * kDay, "party_lecture");
    c.bind("oa-li", "m2");
    c.bind("oa-zhang-son", "m3", "proxy");
    c.bind("oa-chen", "m9");
    auto const day_at = beijing_month_day_time(kWxNow + kDay);
    auto const talk_at = beijing_month_day_time(kWxNow + 3 * kDay);
    auto const list = c.text("activity.pick.item", {{"n", "1"}, {"title", "4月主题党日"}, {"time", day_at}}) + "\n" +
                      c.text("activity.pick.item", {{"n", "2"}, {"title", "银发本色讲堂"}, {"time", talk_at}});
    auto const pick = c.text("activity.leave.pick", {{"list", list}});

    CHECK(c.say("oa-li", "请假 身体不适") == pick);
    CHECK(c.say("oa-li", "第1个") == c.text("activity.leave.ok", {{"title", "4月主题党日"}, {"time", day_at}}));
    CHECK(hget("activity:" + day + ":leave", "m2") == std::to_string(kWxNow) + "|member:m2||身体不适");
    CHECK(c.say("oa-li", "请假 家里有事") == pick);
    CHECK(c.say("oa-li", "1") == c.text("activity.leave.updated", {{"title", "4月主题党日"}, {"time", day_at}}));

    // No reason: asked for it; a family member asks for the member.
    CHECK(c.say("oa-zhang-son", "请假") == pick);
    CHECK(c.say("oa-zhang-son", "2") ==
          c.text("activity.leave.ask_reason", {{"title", "银发本色讲堂"}, {"time", talk_at}}));
    CHECK(c.say("oa-zhang-son", "住院了") == c.text("activity.leave.ok", {{"title", "银发本色讲堂"}, {"time", talk_at}}));
    CHECK(hget("activity:" + talk + ":leave", "m3") == std::to_string(kWxNow) + "|wx:oa:oa-zhang-son|m3|住院了");

    // Only one in the coming week (b2's is in ten days): no list.
    CHECK(c.say("oa-chen", "请假") == c.text("activity.leave.ask_reason", {{"title", "银发本色讲堂"}, {"time", talk_at}}));
    CHECK(c.say("oa-chen", "出差") == c.text("activity.leave.ok", {{"title", "银发本色讲堂"}, {"time", talk_at}}));

    c.f.clock->set(kWxNow + 20 * kDay);
    CHECK(c.say("oa-li", "请假 有事") == c.text("activity.leave.none"));
}

TEST_CASE("活动 lists what is coming in two lines each, with the member's own state", "[activity][bot]") {
    Chat c;
    auto const day = make_activity("b1", "4月主题党日", kSoon);
    make_activity("*", "银发本色讲堂", kWxNow + 3 * kDay, "silver_lecture", "");
    make_activity("b2", "二支部党课", kWxNow + 2 * kDay, "party_lecture");
    c.bind("oa-li", "m2");
    auto const shown = shared_redis().command({"FCALL", "bense_activity_code", "1",
                                               std::string(handlers::kRosterAuditKey), "b1", day,
                                               std::to_string(kWxNow), "300"});
    auto const code = std::string(shown.elements.at(1).str);
    REQUIRE(c.say("oa-li", "签到 " + code).starts_with("签到成功"));
    auto const items =
        c.text("activity.list.item", {{"n", "1"},
                                      {"title", "4月主题党日"},
                                      {"mark", c.text("activity.mark.present")},
                                      {"time", beijing_month_day_time(kSoon)},
                                      {"place", "社区活动室"}}) +
        "\n" +
        c.text("activity.list.item_no_place", {{"n", "2"},
                                               {"title", "银发本色讲堂"},
                                               {"mark", ""},
                                               {"time", beijing_month_day_time(kWxNow + 3 * kDay)}});
    CHECK(c.say("oa-li", "近期活动") == c.text("activity.list", {{"items", items}}));
    c.f.clock->set(kWxNow + 20 * kDay);
    CHECK(c.say("oa-li", "活动") == c.text("activity.list.none"));
}

TEST_CASE("统计 counts the branch's current activity and names who has not come", "[activity][bot]") {
    Chat c;
    c.add_members("m4,张德民,b1,,,正常,否\nm5,王五,b1,,,正常,否\nm6,赵六,b1,,,正常,否\n");
    c.bind("oa-wang", "m1");
    c.bind("oa-li", "m2");
    c.bind("oa-chen", "m9");
    CHECK(c.say("oa-wang", "统计") == c.text("activity.stats.none"));
    auto const id = make_activity("b1", "4月主题党日", kSoon);
    auto leave = shared_redis().command({"FCALL", "bense_activity_leave", "1", std::string(handlers::kRosterAuditKey),
                                         std::to_string(kWxNow), "m4", id, "看病", "member:m4", ""});
    REQUIRE(leave.type == server::RedisReply::Type::array);
    auto const code = code_in(c.say("oa-wang", "签到码"));
    REQUIRE(c.say("oa-li", "签到 " + code).starts_with("签到成功"));
    REQUIRE(c.say("oa-wang", "代签 张德明").starts_with("已为张德明代签"));
    auto const summary = c.text("activity.stats.summary", {{"title", "4月主题党日"},
                                                           {"date", handlers::beijing_month_day(kSoon)},
                                                           {"expected", "6"},
                                                           {"present", "2"},
                                                           {"proxied", "1"},
                                                           {"leave", "1"}});
    CHECK(c.say("oa-wang", "统计") == summary + "\n" + c.text("activity.stats.absent", {{"names", "王建国、王五、赵六"}}) +
                                         "\n" + c.text("activity.stats.on_leave", {{"names", "张德民"}}));
    CHECK(c.say("oa-chen", "统计") == c.text("activity.stats.none"));  // b2 sees only its own

    SECTION("at most ten names of the absent, then how many") {
        std::string rows;
        for (int i = 1; i <= 9; ++i) {
            rows += "x0" + std::to_string(i) + ",党员" + std::to_string(i) + ",b1,,,正常,否\n";
        }
        c.add_members(rows);
        auto const reply = c.say("oa-wang", "统计");
        CHECK(reply.find(c.text("activity.stats.absent_more",
                                {{"names", "王建国、王五、赵六、党员1、党员2、党员3、党员4、党员5、党员6、党员7"},
                                 {"count", "12"}})) != std::string::npos);
    }
}

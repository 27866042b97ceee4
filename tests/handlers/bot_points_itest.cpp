// The member's own points: GET /api/v1/me/points and "积分" in the chat, against real Redis.
#include "handlers/bot_points.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

TEST_CASE("a member reads their own totals and ledger, newest first, page by page", "[points][session]") {
    RosterFixture f;
    f.import_demo();
    auto const token = f.bound_session("o-li", "m2");
    f.award("m2", "checkin.party_day", "checkin:a1", 5, kWxNow - 400 * 86400);  // last year
    f.award("m2", "lecture.finish", "lecture:l1", 2, kWxNow - 3600);
    f.award("m2", "checkin.party_day", "checkin:a2", 5, kWxNow);
    f.award("m3", "checkin.party_day", "checkin:a2", 5, kWxNow);  // someone else's
    auto all = f.call(verb::get, "/api/v1/me/points", {}, token);
    REQUIRE(all.status == 200);
    CHECK(all.json["total"].GetInt() == 12);
    CHECK(all.json["year_total"].GetInt() == 7);
    REQUIRE(all.json["entries"].Size() == 3);
    CHECK(std::string(all.json["entries"][0]["name"].GetString()) == "主题党日");
    CHECK(std::string(all.json["entries"][1]["name"].GetString()) == "学完一节微党课");
    auto page = f.call(verb::get, "/api/v1/me/points?count=1", {}, token);
    REQUIRE(page.json["entries"].Size() == 1);
    std::string const id = page.json["entries"][0]["id"].GetString();
    auto next = f.call(verb::get, "/api/v1/me/points?count=2&before=" + id, {}, token);
    CHECK(next.json["entries"].Size() == 2);
    CHECK(f.call(verb::get, "/api/v1/me/points?count=0", {}, token).error_code() == "request.bad_field");
    CHECK(f.call(verb::get, "/api/v1/me/points?before=x", {}, token).error_code() == "request.bad_field");
    CHECK(f.call(verb::get, "/api/v1/me/points", {}, f.login("o-unbound")).error_code() == "member.not_bound");
    CHECK(f.call(verb::get, "/api/v1/me/points").status == 401);
}

TEST_CASE("积分 in the chat answers in two lines, and asks an unbound user to bind", "[points][bot]") {
    RosterFixture f;
    f.import_demo();
    f.award("m3", "checkin.party_day", "checkin:a1", 5, kWxNow);
    int id = 1;
    auto say = [&](std::string const& openid, std::string const& words) {
        auto p = plain_push(text_xml(openid, words, std::to_string(id++)));
        return cdata(f.call(verb::post, p.target, p.body, {}, "text/xml").body, "Content");
    };
    auto const t = project_templates();
    CHECK(say("oa-zhang", "积分") == t.render("bot.bind.ask"));
    REQUIRE(say("oa-zhang", "绑定 " + f.code_for("m3")).find("绑定成功") != std::string::npos);
    auto const answer = say("oa-zhang", "我的积分");
    CHECK(answer == t.render("bot.points.self", {{"name", "张德明"}, {"year_total", "5"}, {"total", "5"}}));
    CHECK(std::count(answer.begin(), answer.end(), '\n') == 1);
}

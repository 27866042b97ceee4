// "绑定 123456" in the official-account chat, through the gateway, against real Redis.
#include "handlers/bot_binding.hpp"
#include "support/callback_signer.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;


TEST_CASE("binding in the chat: a code in words or digits, the chat's own identity", "[roster][bot]") {
    RosterFixture f;
    f.import_demo();
    int id = 1;
    auto say = [&](std::string const& openid, std::string const& words) {
        auto p = plain_push(text_xml(openid, words, std::to_string(id++)));
        return cdata(f.call(http::verb::post, p.target, p.body, {}, "text/xml").body, "Content");
    };
    auto const t = project_templates();
    CHECK(say("oa-zhang", "绑定") == t.render("bot.bind.ask"));
    CHECK(say("oa-zhang", "绑定 12") == t.render("bot.bind.ask"));
    CHECK(say("oa-zhang", "绑定 000000") == t.render("error.bind.code_wrong"));

    auto const code = f.code_for("m3");
    std::string spoken;
    static constexpr char const* kNumerals[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    for (char c : code) {
        spoken += kNumerals[c - '0'];
    }
    CHECK(say("oa-zhang", "绑定" + spoken) == t.render("bot.bind.ok", {{"name", "张德明"}, {"branch", "示范第一党支部"}}));
    CHECK(shared_redis().command({"HGET", "bense:{roster}:ident:oa:oa-zhang", "member"}).str == "m3");
    CHECK(say("oa-zhang", "绑定 " + f.code_for("m2")) == t.render("error.bind.already", {{"name", "张德明"}}));

    auto const proxy = f.code_for("m2", "proxy");
    CHECK(say("oa-li-son", "绑定 " + proxy) == t.render("bot.bind.ok_proxy", {{"name", "李秀英"}}));
    CHECK(say("oa-other", "绑定 " + proxy) == t.render("error.bind.code_used"));
}

TEST_CASE("guessing in the chat hits the same limit as the mini-program", "[roster][bot]") {
    RosterFixture f;
    f.import_demo();
    int id = 1;
    auto say = [&](std::string const& words) {
        auto p = plain_push(text_xml("oa-guess", words, std::to_string(id++)));
        return cdata(f.call(http::verb::post, p.target, p.body, {}, "text/xml").body, "Content");
    };
    for (int i = 0; i < 5; ++i) {
        say("绑定 " + std::to_string(300000 + i));
    }
    CHECK(say("绑定 " + f.code_for("m3")) == project_templates().render("error.bind.too_many"));
}

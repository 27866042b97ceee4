// The bot's guided conversations through the gateway with real Redis: state per user with a
// timeout, "取消" at any step, a new command starting afresh.
#include "handlers/bot.hpp"
#include "support/callback_signer.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"
#include "wechat/callback_store.hpp"
#include "wechat/gateway.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::handlers;
using namespace bense::test;

namespace {

// A two-question conversation: 报名 → name? → phone? → done.
void register_signup(Bot& bot) {
    bot.add_command("报名", {}, [](BotContext& ctx) -> net::awaitable<wechat::Reply> {
        ctx.conversation = ConversationState{"报名", 1, ""};
        co_return ctx.reply("请问您的名字？");
    });
    bot.add_command("帮助", {}, [](BotContext& ctx) -> net::awaitable<wechat::Reply> { co_return ctx.reply("help"); });
    bot.add_conversation("报名", [](BotContext& ctx) -> net::awaitable<wechat::Reply> {
        auto s = *ctx.conversation;
        if (s.step == 1) {
            ctx.conversation = ConversationState{"报名", 2, ctx.text};
            co_return ctx.reply("请问您的电话？");
        }
        ctx.conversation.reset();
        co_return ctx.reply("好的，" + s.data + "，电话 " + ctx.argument);
    });
}

struct Chat {
    std::shared_ptr<Bot> bot = std::make_shared<Bot>();
    TestServer server;
    HttpClient client;
    int next_id = 1;

    // `preload`: the gateway reads the conversation with its claim, as in production; without
    // it the bot reads the conversation itself.
    explicit Chat(bool preload = true)
        : server({.add_routes =
                      [this, preload](server::Router& r) {
                          register_signup(*bot);
                          auto b = bot;
                          wechat::add_gateway_routes(
                              r, {test_gateway_config(),
                                  [b](wechat::Message const& m, server::Worker& w, wechat::UserState s) {
                                      return b->handle(m, w, std::move(s));
                                  },
                                  std::make_shared<server::FixedClock>(kWxNow),
                                  preload ? wechat::UserStateKey(&Bot::state_key) : nullptr});
                      },
                  .redis_libraries = {wechat::callback_redis_library()}}),
          client(server.port()) {
        shared_redis().flushall();
        REQUIRE(server.wait_redis_ready());
    }

    std::string say(std::string const& words) {
        auto p = plain_push(text_xml("oChat", words, std::to_string(next_id++)));
        return cdata(client.post(p.target, p.body).body(), "Content");
    }
};

}  // namespace

TEST_CASE("a conversation keeps its state between messages, in Redis with a timeout", "[bot]") {
    bool const preload = GENERATE(true, false);
    Chat c(preload);
    CHECK(c.say("报名") == "请问您的名字？");
    auto const ttl = shared_redis().command({"PTTL", conversation_key("oChat")}).integer;
    CHECK(ttl > 0);
    CHECK(ttl <= 600000);
    CHECK(c.say(" 张　三 ") == "请问您的电话？");
    CHECK(c.say("幺三八 一二三四") == "好的，张 三，电话 1381234");
    CHECK(shared_redis().command({"EXISTS", conversation_key("oChat")}).integer == 0);
}

TEST_CASE("取消 ends a conversation at any step, a new command starts afresh", "[bot]") {
    Chat c;
    CHECK(c.say("报名") == "请问您的名字？");
    CHECK(c.say("取消") == project_templates().render("bot.cancelled"));
    CHECK(c.say("取消") == project_templates().render("bot.nothing_to_cancel"));
    CHECK(c.say("李四") == project_templates().render("bot.help"));

    CHECK(c.say("报名") == "请问您的名字？");
    CHECK(c.say("帮助") == "help");
    CHECK(shared_redis().command({"EXISTS", conversation_key("oChat")}).integer == 0);
    CHECK(c.say("报 名") == "请问您的名字？");
}

// Where a message goes inside the bot, and how a conversation's state is kept.
#include "handlers/bot_conversation.hpp"
#include "handlers/bot_routing.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::handlers;

namespace {

wechat::Message text(std::string content) {
    wechat::Message m;
    m.msg_type = "text";
    m.content = std::move(content);
    return m;
}

wechat::Message event(std::string name, std::string key = {}) {
    wechat::Message m;
    m.msg_type = "event";
    m.event = std::move(name);
    m.event_key = key;
    m.scene = key;
    return m;
}

CommandTable commands() {
    CommandTable t;
    t.add("签到");
    t.add("帮助");
    return t;
}

MenuKeys const kMenu{{"HELP", "帮助"}, {"GONE", "没有这个命令"}};

}  // namespace

TEST_CASE("text goes to a command, else to the conversation, else to help", "[bot]") {
    auto const t = commands();
    auto r = route_message(text("签到四八二一"), t, kMenu, false);
    CHECK(r.action == BotAction::command);
    CHECK(r.name == "签到");
    CHECK(r.argument == "4821");

    CHECK(route_message(text("你好"), t, kMenu, false).action == BotAction::help);
    auto step = route_message(text(" 重阳节 座谈会 "), t, kMenu, true);
    CHECK(step.action == BotAction::conversation_step);
    CHECK(step.text == "重阳节 座谈会");
    // A command in the middle of a conversation starts afresh.
    CHECK(route_message(text("帮助"), t, kMenu, true).action == BotAction::command);
    CHECK(route_message(text("签到 4821"), t, kMenu, true).action == BotAction::command);
    // An answer that only begins with a command's word is an answer ("帮助中心" as a place).
    auto place = route_message(text("帮助中心"), t, kMenu, true);
    CHECK(place.action == BotAction::conversation_step);
    CHECK(place.text == "帮助中心");
    CHECK(route_message(text("帮助中心"), t, kMenu, false).action == BotAction::command);
}

TEST_CASE("cancel words end a conversation at any step", "[bot]") {
    auto const t = commands();
    CHECK(route_message(text("取消"), t, kMenu, true).action == BotAction::cancel);
    CHECK(route_message(text(" 取消 "), t, kMenu, false).action == BotAction::cancel);
}

TEST_CASE("voice goes by its recognition text, and asks for typing when there is none", "[bot]") {
    auto const t = commands();
    wechat::Message v;
    v.msg_type = "voice";
    v.recognition = "签到四八二一。";
    auto r = route_message(v, t, kMenu, false);
    CHECK(r.action == BotAction::command);
    CHECK(r.argument == "4821");
    v.recognition = "";
    CHECK(route_message(v, t, kMenu, false).action == BotAction::voice_unclear);
    v.recognition = " 。";
    CHECK(route_message(v, t, kMenu, false).action == BotAction::voice_unclear);
}

TEST_CASE("events: subscribe with its scene, SCAN, menu clicks, the rest ignored", "[bot]") {
    auto const t = commands();
    auto s = route_message(event("subscribe", "branch_12"), t, kMenu, false);
    CHECK(s.action == BotAction::subscribe);
    CHECK(s.argument == "branch_12");
    CHECK(route_message(event("SCAN", "7"), t, kMenu, false).action == BotAction::scan);
    auto c = route_message(event("CLICK", "HELP"), t, kMenu, false);
    CHECK(c.action == BotAction::command);
    CHECK(c.name == "帮助");
    CHECK(route_message(event("CLICK", "GONE"), t, kMenu, false).action == BotAction::help);
    CHECK(route_message(event("unsubscribe"), t, kMenu, false).action == BotAction::ignore);
    wechat::Message img;
    img.msg_type = "image";
    CHECK(route_message(img, t, kMenu, false).action == BotAction::not_text);
}

TEST_CASE("conversation state survives its encoding, and junk is refused", "[bot]") {
    ConversationState s{"新建活动", 2, "title=重阳节\nplace=活动室"};
    auto back = decode_conversation(encode_conversation(s));
    REQUIRE(back);
    CHECK(*back == s);
    CHECK_FALSE(decode_conversation(""));
    CHECK_FALSE(decode_conversation("name"));
    CHECK_FALSE(decode_conversation("name\nx\n"));
    CHECK(conversation_key("oABC") == "bense:{user:oABC}:conversation");
}

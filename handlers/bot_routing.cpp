// See bot_routing.hpp.
#include "handlers/bot_routing.hpp"

#include "handlers/bot_text.hpp"

namespace bense::handlers {
namespace {

BotRoute route_event(wechat::Message const& m, CommandTable const& commands, MenuKeys const& menu) {
    if (m.event == "subscribe") {
        return {BotAction::subscribe, {}, m.scene, {}};
    }
    if (m.event == "SCAN") {
        return {BotAction::scan, {}, m.scene, {}};
    }
    if (m.event == "CLICK") {
        auto it = menu.find(m.event_key);
        if (it != menu.end() && commands.contains(it->second)) {
            return {BotAction::command, it->second, {}, {}};
        }
        return {BotAction::help, {}, {}, {}};
    }
    return {};
}

// Inside a conversation an answer may begin with a command's word (the place "活动中心", the
// reason "说明会要开"): only the bare command, or the command, a space and its argument, starts
// that command instead of answering.
bool interrupts(std::string_view text, CommandMatch const& c) {
    if (c.argument.empty()) {
        return true;
    }
    return text.size() > c.argument.size() && text.ends_with(c.argument) &&
           text[text.size() - c.argument.size() - 1] == ' ';
}

}  // namespace

bool is_cancel_word(std::string_view t) { return t == "取消" || t == "退出" || t == "不要了" || t == "算了"; }

BotRoute route_message(wechat::Message const& m, CommandTable const& commands, MenuKeys const& menu,
                       bool in_conversation) {
    if (m.msg_type == "event") {
        return route_event(m, commands, menu);
    }
    if (m.msg_type != "text" && m.msg_type != "voice") {
        return {BotAction::not_text, {}, {}, {}};
    }
    auto text = normalise_text(m.msg_type == "text" ? m.content : m.recognition);
    // Speech recognition ends sentences with a full stop: "帮助。" means "帮助".
    while (text.ends_with("。") || text.ends_with(".") || text.ends_with("!")) {
        text.resize(text.size() - (text.back() == '.' || text.back() == '!' ? 1 : 3));
        text = squeeze_spaces(text);
    }
    if (m.msg_type == "voice" && text.empty()) {
        return {BotAction::voice_unclear, {}, {}, {}};
    }
    if (is_cancel_word(text)) {
        return {BotAction::cancel, {}, {}, text};
    }
    if (auto c = commands.match(text); c && (!in_conversation || interrupts(text, *c))) {
        return {BotAction::command, std::move(c->name), std::move(c->argument), text};
    }
    if (in_conversation) {
        auto arg = normalise_argument(text);
        return {BotAction::conversation_step, {}, std::move(arg), std::move(text)};
    }
    return {BotAction::help, {}, {}, std::move(text)};
}

}  // namespace bense::handlers

// Where a message goes inside the bot: a command, the next step of a conversation, cancel,
// help, or an event. Pure: the caller says whether the user is in a conversation.
#pragma once

#include "handlers/bot_commands.hpp"
#include "wechat/message.hpp"

#include <map>
#include <string>

namespace bense::handlers {

enum class BotAction {
    command,            // name, argument
    conversation_step,  // text (normalised), argument (normalise_argument of the text)
    cancel,             // "取消" at any step
    help,               // unknown text, unknown menu key
    voice_unclear,      // voice without Recognition text: ask to type or tap
    not_text,           // image, video, location...: ask for words
    subscribe,          // argument: the QR scene, if any
    scan,               // argument: the QR scene
    ignore,             // events that need no answer (unsubscribe, VIEW, delivery reports...)
};

struct BotRoute {
    BotAction action = BotAction::ignore;
    std::string name;
    std::string argument;
    std::string text;
};

// CLICK menu keys to command names.
using MenuKeys = std::map<std::string, std::string, std::less<>>;

// Words that end a conversation; they are not commands (a command starts a new one).
bool is_cancel_word(std::string_view normalised_text);

BotRoute route_message(wechat::Message const& m, CommandTable const& commands, MenuKeys const& menu,
                       bool in_conversation);

}  // namespace bense::handlers

// The chat bot of the official account: turns one message into one reply. Features register
// their commands (name, aliases, handler), menu keys and guided conversations here, in
// bot_features.cpp; the bot routes (bot_routing), keeps conversation state in Redis and
// answers from templates/bot.jsonc.
#pragma once

#include "handlers/bot_commands.hpp"
#include "handlers/bot_conversation.hpp"
#include "handlers/bot_routing.hpp"
#include "server/net.hpp"
#include "server/templates.hpp"
#include "wechat/gateway.hpp"
#include "wechat/message.hpp"
#include "wechat/reply.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bense::server {
class Worker;
}

namespace bense::handlers {

// What a command or conversation step sees. To go on with a conversation, set
// `conversation` (its name, the step asked, the data so far); leave it empty to end one.
struct BotContext {
    wechat::Message const& message;
    server::Worker& worker;
    std::string argument;  // the command's argument, or the answer in a conversation
    std::string text;      // the whole normalised text
    std::optional<ConversationState> conversation;

    // A text reply to the sender.
    wechat::Reply reply(std::string content) const;
    // A text reply from a template.
    wechat::Reply reply_template(std::string_view key, server::TemplateArgs args = {}) const;
};

using BotHandler = std::function<net::awaitable<wechat::Reply>(BotContext&)>;

class Bot {
public:
    // Throws std::invalid_argument for a name or alias already taken (start-up only).
    void add_command(std::string const& name, std::vector<std::string> const& aliases, BotHandler handler);
    // A CLICK on the menu button with `key` runs `command` without an argument.
    void add_menu_key(std::string key, std::string command);
    // Steps of a guided conversation that a command started by setting ctx.conversation.
    void add_conversation(std::string name, BotHandler step);
    void on_subscribe(BotHandler handler) { subscribe_ = std::move(handler); }
    void on_scan(BotHandler handler) { scan_ = std::move(handler); }

    // The one entry point: the gateway's MessageHandler. `preloaded` is the conversation, when
    // the gateway read it under state_key(message); otherwise the bot reads it itself.
    net::awaitable<wechat::Reply> handle(wechat::Message const& message, server::Worker& worker,
                                         wechat::UserState preloaded = {}) const;
    // The gateway's UserStateKey: the sender's conversation key for a message that may be an
    // answer in a conversation, else "".
    static std::string state_key(wechat::Message const& message);

private:
    net::awaitable<wechat::Reply> run(BotRoute const& route, BotContext& ctx,
                                      std::optional<ConversationState> const& current) const;

    CommandTable commands_;
    std::map<std::string, BotHandler, std::less<>> handlers_;
    std::map<std::string, BotHandler, std::less<>> conversations_;
    MenuKeys menu_;
    BotHandler subscribe_;
    BotHandler scan_;
};

// The templates the bot itself answers with.
std::vector<server::TemplateNeed> bot_template_needs();

}  // namespace bense::handlers

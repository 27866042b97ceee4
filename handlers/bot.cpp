// See bot.hpp. The order of a turn: load the member's conversation, route, run, save.
#include "handlers/bot.hpp"

#include "server/worker.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace bense::handlers {
namespace {

using wechat::Reply;

bool needs_conversation(wechat::Message const& m) {
    return m.msg_type == "text" || m.msg_type == "voice" || (m.msg_type == "event" && m.event == "CLICK");
}

}  // namespace

Reply BotContext::reply(std::string content) const {
    return Reply::text(message.from_user, message.to_user, std::move(content));
}

Reply BotContext::reply_template(std::string_view key, server::TemplateArgs args) const {
    return reply(worker.templates().render(key, args));
}

std::vector<server::TemplateNeed> bot_template_needs() {
    return {{"bot.help", {}},      {"bot.voice_unclear", {}},       {"bot.text_only", {}},
            {"bot.cancelled", {}}, {"bot.nothing_to_cancel", {}}};
}

void Bot::add_command(std::string const& name, std::vector<std::string> const& aliases, BotHandler handler) {
    commands_.add(name, aliases);
    handlers_[name] = std::move(handler);
}

void Bot::add_menu_key(std::string key, std::string command) {
    if (!handlers_.contains(command)) {
        throw std::invalid_argument("menu key " + key + ": no command " + command);
    }
    menu_[std::move(key)] = std::move(command);
}

void Bot::add_conversation(std::string name, BotHandler step) { conversations_[std::move(name)] = std::move(step); }

std::string Bot::state_key(wechat::Message const& message) {
    return needs_conversation(message) ? conversation_key(message.from_user) : std::string{};
}

net::awaitable<Reply> Bot::handle(wechat::Message const& message, server::Worker& worker,
                                  wechat::UserState preloaded) const {
    std::optional<ConversationState> current;
    auto const key = conversation_key(message.from_user);
    bool const stateful = needs_conversation(message);
    if (stateful && preloaded.read) {
        if (preloaded.value) {
            current = decode_conversation(*preloaded.value);
        }
    } else if (stateful) {
        server::RedisClient::Argv get{"GET", key};
        auto [ec, r] = co_await worker.redis().exec(std::move(get));
        if (ec) {
            // Without the state the member's answer is read as a fresh command or as help:
            // better than no answer at all.
            spdlog::warn("bot: conversation of {} not read: {}", message.from_user, ec.message());
        } else if (auto text = r.text()) {
            current = decode_conversation(*text);
        }
    }
    bool const in_conversation = current && conversations_.contains(current->name);
    auto const route = route_message(message, commands_, menu_, in_conversation);
    BotContext ctx{message, worker, route.argument, route.text, current};
    auto reply = co_await run(route, ctx, current);

    if (stateful && ctx.conversation) {
        auto const ttl = std::chrono::duration_cast<std::chrono::milliseconds>(kConversationTimeout);
        server::RedisClient::Argv set{"SET", key, encode_conversation(*ctx.conversation), "PX",
                                      std::to_string(ttl.count())};
        auto [ec, r] = co_await worker.redis().exec(std::move(set));
        if (ec) {
            spdlog::warn("bot: conversation of {} not saved: {}", message.from_user, ec.message());
        }
    } else if (stateful && current) {
        server::RedisClient::Argv del{"DEL", key};
        auto [ec, r] = co_await worker.redis().exec(std::move(del));
        if (ec) {
            spdlog::warn("bot: conversation of {} not ended: {}", message.from_user, ec.message());
        }
    }
    co_return reply;
}

net::awaitable<Reply> Bot::run(BotRoute const& route, BotContext& ctx,
                               std::optional<ConversationState> const& current) const {
    switch (route.action) {
        case BotAction::command: {
            ctx.conversation.reset();  // a new command starts afresh
            co_return co_await handlers_.find(route.name)->second(ctx);
        }
        case BotAction::conversation_step:
            co_return co_await conversations_.find(current->name)->second(ctx);
        case BotAction::cancel:
            ctx.conversation.reset();
            co_return ctx.reply_template(current ? "bot.cancelled" : "bot.nothing_to_cancel");
        case BotAction::help:
            co_return ctx.reply_template("bot.help");
        case BotAction::voice_unclear:
            co_return ctx.reply_template("bot.voice_unclear");
        case BotAction::not_text:
            co_return ctx.reply_template("bot.text_only");
        case BotAction::subscribe:
            if (subscribe_) {
                co_return co_await subscribe_(ctx);
            }
            break;
        case BotAction::scan:
            if (scan_) {
                co_return co_await scan_(ctx);
            }
            break;
        case BotAction::ignore:
            break;
    }
    co_return Reply::none();
}

}  // namespace bense::handlers

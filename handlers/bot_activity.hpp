// Activities in the chat: what members send ("签到 4821", "请假 身体不适", "活动"), and the one
// registration of every activity command, the secretaries' (bot_activity_admin) and the guided
// conversations (bot_new_activity) included. Also the helpers those share: who the sender is,
// a failed store call as one sentence, a choice from a numbered list. Texts: templates/activity.jsonc.
#pragma once

#include "handlers/activity_store.hpp"
#include "handlers/bot.hpp"
#include "handlers/roster_auth.hpp"
#include "handlers/roster_config.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

// Registers 签到, 请假, 活动, the secretaries' 签到码, 代签, 统计 and the conversations 新建活动,
// 修改活动 and 取消活动.
void register_activity_commands(Bot& bot, std::shared_ptr<RosterDeps const> deps);
// Every template the activity commands answer with.
std::vector<server::TemplateNeed> activity_template_needs();

//------------------------------------------------------------------------------------------------
// Shared by the activity commands

// The bound member behind a chat message, seen as the API sees a caller (ident "oa:<openid>").
struct ChatSender {
    Caller caller;

    MemberSummary const& member() const { return *caller.member; }
    // "member:<number>" in person, "wx:oa:<openid>" for a family member acting for them.
    std::string by() const { return caller.actor(); }
    // The member's number when a family member acts for them, else "".
    std::string acting_for() const { return member().proxy ? member().number : std::string(); }
    // "*" for the bureau, the branch of a secretary or liaison in person, else "".
    std::string scope() const { return caller.admin_scope(); }
    Acting acting(std::int64_t now) const { return Acting{by(), "chat", now, scope()}; }
};

// The sender, or the reply that ends the command: bot.bind.ask for a user not bound yet,
// error.server.internal when the roster cannot be read (logged).
net::awaitable<result<ChatSender, wechat::Reply>> chat_sender(BotContext& ctx);
// The same for a secretary's command; anyone without an admin scope (a member, a family
// member, even of a secretary) gets activity.admin_only.
net::awaitable<result<ChatSender, wechat::Reply>> chat_admin(BotContext& ctx);

// A failed store call as its one sentence: the error's template with the store's detail in
// its placeholder; failures of the store itself are logged under `what`.
wechat::Reply store_error_reply(BotContext const& ctx, StoreError const& e, std::string_view what);

// The 1-based number the user answered with, as an index below `count`; nullopt otherwise.
std::optional<std::size_t> chosen_index(std::string_view argument, std::size_t count);

// "1. 12月主题党日（12月5日 14:30）" lines from activity.pick.item, one per activity.
std::string numbered_activities(BotContext const& ctx, std::vector<Activity> const& activities);

// The fields of a conversation's data, which the activity conversations keep one per line
// (the bot's normalisation leaves no newline in what a user typed).
std::vector<std::string> data_lines(std::string_view data);
std::string join_lines(std::vector<std::string> const& lines);

}  // namespace bense::handlers

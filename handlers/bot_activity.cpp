// See bot_activity.hpp. Sections: the shared helpers, 签到, 请假 (a conversation when the member
// must choose the activity or give the reason), 活动, registration.
#include "handlers/bot_activity.hpp"

#include "handlers/beijing_time.hpp"
#include "handlers/bot_activity_admin.hpp"
#include "handlers/bot_new_activity.hpp"
#include "handlers/checkin.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_store.hpp"
#include "server/worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace bense::handlers {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHorizon = 30 * kDay;        // how far ahead 请假 and 活动 look
constexpr std::int64_t kLeaveAskWindow = 7 * kDay;  // several activities this soon: ask which
constexpr std::int64_t kLongest = 3 * kDay;         // an activity lasts at most this long
constexpr std::size_t kListed = 5;                  // 活动 shows this many
constexpr std::size_t kChoices = 9;                 // a numbered list, at most
constexpr char kLeave[] = "请假";

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

//------------------------------------------------------------------------------------------------
// Shared helpers

net::awaitable<result<ChatSender, wechat::Reply>> chat_sender(BotContext& ctx) {
    auto const ident = ctx.message.endpoint + ":" + ctx.message.from_user;
    RosterStore store(ctx.worker.redis());
    auto who = co_await store.call("whois", fcall_args(ident));
    if (!who) {
        spdlog::warn("bot: activity command of {}: {}", ident, who.error().ec.message());
        co_return ctx.reply_template("error.server.internal");
    }
    auto member = who->empty() ? std::nullopt : read_summary(who->front());
    if (!member) {
        co_return ctx.reply_template("bot.bind.ask");
    }
    ChatSender sender;
    sender.caller.ident = ident;
    sender.caller.member = std::move(member);
    co_return sender;
}

net::awaitable<result<ChatSender, wechat::Reply>> chat_admin(BotContext& ctx) {
    auto sender = co_await chat_sender(ctx);
    if (sender && sender->scope().empty()) {
        co_return ctx.reply_template("activity.admin_only");
    }
    co_return sender;
}

wechat::Reply store_error_reply(BotContext const& ctx, StoreError const& e, std::string_view what) {
    auto const& row = roster_error_row(e.ec);
    std::string_view placeholder;
    if (e.ec.category() == roster_category()) {
        placeholder = roster_error_placeholder(static_cast<roster_errc>(e.ec.value()));
    } else {
        spdlog::warn("bot: {}: {} {}", what, e.ec.message(), e.detail);
    }
    if (placeholder.empty()) {
        return ctx.reply_template(row.template_key);
    }
    return ctx.reply_template(row.template_key, {{placeholder, e.detail}});
}

std::optional<std::size_t> chosen_index(std::string_view a, std::size_t count) {
    if (a.starts_with("第")) {
        a.remove_prefix(std::string_view("第").size());
    }
    for (std::string_view tail : {"个", "项", "号"}) {
        if (a.ends_with(tail)) {
            a.remove_suffix(tail.size());
        }
    }
    std::size_t n = 0;
    auto [ptr, ec] = std::from_chars(a.data(), a.data() + a.size(), n);
    if (a.empty() || ec != std::errc{} || ptr != a.data() + a.size() || n < 1 || n > count) {
        return std::nullopt;
    }
    return n - 1;
}

std::string numbered_activities(BotContext const& ctx, std::vector<Activity> const& activities) {
    std::string out;
    for (std::size_t i = 0; i < activities.size(); ++i) {
        auto const n = std::to_string(i + 1);
        auto const time = beijing_month_day_time(activities[i].start);
        out += (i == 0 ? "" : "\n") + ctx.worker.templates().render(
                                          "activity.pick.item",
                                          {{"n", n}, {"title", activities[i].title}, {"time", time}});
    }
    return out;
}

std::vector<std::string> data_lines(std::string_view data) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (true) {
        auto const nl = data.find('\n', from);
        out.emplace_back(data.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
        if (nl == std::string_view::npos) {
            return out;
        }
        from = nl + 1;
    }
}

std::string join_lines(std::vector<std::string> const& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        out += (i == 0 ? "" : "\n") + lines[i];
    }
    return out;
}

namespace {

//------------------------------------------------------------------------------------------------
// 签到 4821

wechat::Reply checkin_reply(RosterDeps const& deps, BotContext const& ctx, CheckinResult const& r) {
    auto const time = beijing_clock(r.record.at);
    if (r.record.already) {
        return ctx.reply_template("activity.checkin.already", {{"time", time}});
    }
    auto const& title = r.record.title;
    if (r.award.duplicate || r.award.status == "rejected") {
        return ctx.reply_template("activity.checkin.plain", {{"title", title}, {"time", time}});
    }
    auto const& a = r.award;
    if (a.status == "pending") {
        // Written with 0 points until the secretary confirms: say what the rule will give.
        auto const* rule = deps.points.find(checkin_points_action(r.record.type));
        auto const points = std::to_string(rule != nullptr ? rule->points : 0);
        return ctx.reply_template("activity.checkin.pending", {{"title", title}, {"time", time}, {"points", points}});
    }
    auto const points = std::to_string(a.points);
    if (a.points > 0) {
        return ctx.reply_template("activity.checkin.ok", {{"title", title}, {"time", time}, {"points", points}});
    }
    if (!a.capped.empty()) {
        auto const key = a.capped == "yearly" ? "activity.checkin.capped_year" : "activity.checkin.capped";
        return ctx.reply_template(key, {{"title", title}, {"time", time}});
    }
    return ctx.reply_template("activity.checkin.plain", {{"title", title}, {"time", time}});
}

net::awaitable<wechat::Reply> check_in_by_code(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto sender = co_await chat_sender(ctx);
    if (!sender) {
        co_return sender.error();
    }
    if (ctx.argument.size() != 4 || !all_digits(ctx.argument)) {
        co_return ctx.reply_template("activity.checkin.ask");
    }
    CheckinRequest request;
    request.member = sender->member().number;
    request.channel = "code";
    request.code = ctx.argument;
    request.by = sender->by();
    request.acting_for = sender->acting_for();
    auto r = co_await check_in(*deps, ctx.worker.redis(), request);
    if (!r) {
        co_return store_error_reply(ctx, r.error(), "check-in by code");
    }
    co_return checkin_reply(*deps, ctx, *r);
}

//------------------------------------------------------------------------------------------------
// 请假 <reason>: the next activity, or the one chosen from those of the coming week; the
// conversation's data is the reason, then the ids offered (step 1), or the activity (step 2).

// What the member may still ask leave for, soonest first.
net::awaitable<result<std::vector<Activity>, StoreError>> leave_candidates(RosterDeps const& deps, BotContext& ctx,
                                                                           MemberSummary const& m) {
    auto const now = deps.clock->now_seconds();
    auto list = co_await list_activities(ctx.worker.redis(), now + 1, now + kHorizon, m.number,
                                         fcall_args(m.branch, "*"));
    if (!list) {
        co_return std::move(list.error());
    }
    std::erase_if(*list, [](Activity const& a) { return a.status == "cancelled" || a.mine == "present"; });
    co_return std::move(*list);
}

net::awaitable<wechat::Reply> record_leave(RosterDeps const& deps, BotContext& ctx, ChatSender const& sender,
                                           std::string const& activity, std::string const& reason) {
    LeaveCall call{deps.clock->now_seconds(), sender.member().number, activity, reason, sender.by(),
                   sender.acting_for()};
    auto r = co_await store_leave(ctx.worker.redis(), call);
    if (!r) {
        co_return store_error_reply(ctx, r.error(), "leave");
    }
    auto const time = beijing_month_day_time(r->start);
    co_return ctx.reply_template(r->updated ? "activity.leave.updated" : "activity.leave.ok",
                                 {{"title", r->title}, {"time", time}});
}

wechat::Reply ask_reason(BotContext& ctx, Activity const& a) {
    ctx.conversation = ConversationState{kLeave, 2, a.id};
    auto const time = beijing_month_day_time(a.start);
    return ctx.reply_template("activity.leave.ask_reason", {{"title", a.title}, {"time", time}});
}

net::awaitable<wechat::Reply> ask_leave(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto sender = co_await chat_sender(ctx);
    if (!sender) {
        co_return sender.error();
    }
    auto list = co_await leave_candidates(*deps, ctx, sender->member());
    if (!list) {
        co_return store_error_reply(ctx, list.error(), "leave candidates");
    }
    if (list->empty()) {
        co_return ctx.reply_template("activity.leave.none");
    }
    auto const soon_until = deps->clock->now_seconds() + kLeaveAskWindow;
    auto const soon = std::min<std::size_t>(
        kChoices, std::count_if(list->begin(), list->end(), [&](Activity const& a) { return a.start <= soon_until; }));
    if (soon > 1) {
        list->resize(soon);
        std::vector<std::string> lines{ctx.argument};
        for (auto const& a : *list) {
            lines.push_back(a.id);
        }
        ctx.conversation = ConversationState{kLeave, 1, join_lines(lines)};
        co_return ctx.reply_template("activity.leave.pick", {{"list", numbered_activities(ctx, *list)}});
    }
    if (ctx.argument.empty()) {
        co_return ask_reason(ctx, list->front());
    }
    co_return co_await record_leave(*deps, ctx, *sender, list->front().id, ctx.argument);
}

net::awaitable<wechat::Reply> leave_step(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto const state = *ctx.conversation;
    auto sender = co_await chat_sender(ctx);
    if (!sender) {
        ctx.conversation.reset();
        co_return sender.error();
    }
    if (state.step == 2) {
        ctx.conversation.reset();
        co_return co_await record_leave(*deps, ctx, *sender, state.data, ctx.text);
    }
    auto const lines = data_lines(state.data);
    auto const i = chosen_index(ctx.argument, lines.size() - 1);
    if (!i) {
        co_return ctx.reply_template("activity.pick.again");
    }
    auto const& id = lines[*i + 1];
    if (lines.front().empty()) {
        auto a = co_await get_activity(ctx.worker.redis(), id);
        if (!a) {
            ctx.conversation.reset();
            co_return store_error_reply(ctx, a.error(), "leave");
        }
        co_return ask_reason(ctx, *a);
    }
    ctx.conversation.reset();
    co_return co_await record_leave(*deps, ctx, *sender, id, lines.front());
}

//------------------------------------------------------------------------------------------------
// 活动: what is coming in the member's branch and city-wide, two lines each

net::awaitable<wechat::Reply> upcoming(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto sender = co_await chat_sender(ctx);
    if (!sender) {
        co_return sender.error();
    }
    auto const now = deps->clock->now_seconds();
    auto const& m = sender->member();
    auto list = co_await list_activities(ctx.worker.redis(), now - kLongest, now + kHorizon, m.number,
                                         fcall_args(m.branch, "*"));
    if (!list) {
        co_return store_error_reply(ctx, list.error(), "activity list");
    }
    std::erase_if(*list, [&](Activity const& a) { return a.status == "cancelled" || a.end <= now; });
    if (list->empty()) {
        co_return ctx.reply_template("activity.list.none");
    }
    auto const& t = ctx.worker.templates();
    std::string items;
    for (std::size_t i = 0; i < std::min(kListed, list->size()); ++i) {
        auto const& a = (*list)[i];
        auto const mark = a.mine == "present" ? t.render("activity.mark.present")
                          : a.mine == "leave" ? t.render("activity.mark.leave")
                          : (a.opens <= now && now <= a.closes) ? t.render("activity.mark.open")
                                                                : std::string();
        auto const n = std::to_string(i + 1);
        auto const time = beijing_month_day_time(a.start);
        items += (i == 0 ? "" : "\n") +
                 (a.place.empty() ? t.render("activity.list.item_no_place",
                                             {{"n", n}, {"title", a.title}, {"mark", mark}, {"time", time}})
                                  : t.render("activity.list.item", {{"n", n},
                                                                    {"title", a.title},
                                                                    {"mark", mark},
                                                                    {"time", time},
                                                                    {"place", a.place}}));
    }
    co_return ctx.reply_template("activity.list", {{"items", items}});
}

}  // namespace

//------------------------------------------------------------------------------------------------
// Registration

void register_activity_commands(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command("签到", {"簽到"}, [deps](BotContext& ctx) { return check_in_by_code(deps, ctx); });
    bot.add_command(kLeave, {"請假"}, [deps](BotContext& ctx) { return ask_leave(deps, ctx); });
    bot.add_conversation(kLeave, [deps](BotContext& ctx) { return leave_step(deps, ctx); });
    bot.add_command("活动", {"近期活动", "最近活动", "活动安排", "活動"},
                    [deps](BotContext& ctx) { return upcoming(deps, ctx); });
    bot.add_menu_key("CHECKIN", "签到");  // the menu's 签到: says how to send the code
    register_activity_admin_commands(bot, deps);
    register_new_activity_conversations(bot, std::move(deps));
}

std::vector<server::TemplateNeed> activity_template_needs() {
    std::vector<server::TemplateNeed> needs{
        {"activity.admin_only", {}},
        {"activity.pick.item", {"n", "title", "time"}},
        {"activity.pick.again", {}},
        {"activity.checkin.ask", {}},
        {"activity.checkin.ok", {"title", "time", "points"}},
        {"activity.checkin.pending", {"title", "time", "points"}},
        {"activity.checkin.capped", {"title", "time"}},
        {"activity.checkin.capped_year", {"title", "time"}},
        {"activity.checkin.plain", {"title", "time"}},
        {"activity.checkin.already", {"time"}},
        {"activity.leave.none", {}},
        {"activity.leave.pick", {"list"}},
        {"activity.leave.ask_reason", {"title", "time"}},
        {"activity.leave.ok", {"title", "time"}},
        {"activity.leave.updated", {"title", "time"}},
        {"activity.list", {"items"}},
        {"activity.list.item", {"n", "title", "mark", "time", "place"}},
        {"activity.list.item_no_place", {"n", "title", "mark", "time"}},
        {"activity.list.none", {}},
        {"activity.mark.present", {}},
        {"activity.mark.leave", {}},
        {"activity.mark.open", {}},
    };
    for (auto const& more : {activity_admin_template_needs(), new_activity_template_needs()}) {
        needs.insert(needs.end(), more.begin(), more.end());
    }
    return needs;
}

}  // namespace bense::handlers

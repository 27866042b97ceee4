// See bot_activity_admin.hpp. Sections: finding the activity, 签到码, 代签 (a conversation when
// several members match), 统计, registration.
#include "handlers/bot_activity_admin.hpp"

#include "handlers/beijing_time.hpp"
#include "handlers/bot_activity.hpp"
#include "handlers/checkin.hpp"
#include "server/worker.hpp"

#include <algorithm>
#include <cstdlib>

namespace bense::handlers {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kLookBack = 4 * kDay;   // an activity open now started at most this long ago
constexpr std::int64_t kLookAhead = 30 * kDay;  // when the next check-in opens, looked this far
constexpr std::int64_t kStatsBack = 60 * kDay;  // 统计 looks for the last activity this far back
constexpr std::size_t kChoices = 9;
constexpr std::size_t kNamesShown = 10;
constexpr char kProxy[] = "代签";

bool is_open(Activity const& a, std::int64_t now) {
    return a.status != "cancelled" && a.opens <= now && now <= a.closes;
}

// The activities of the admin's scope around now, by start: its own branch's, or for the
// bureau the city-wide ones (a secretary cannot show the code of a city-wide activity).
net::awaitable<result<std::vector<Activity>, StoreError>> scope_activities(BotContext& ctx, std::string const& scope,
                                                                           std::int64_t from, std::int64_t to) {
    co_return co_await list_activities(ctx.worker.redis(), from, to, "", fcall_args(scope));
}

std::vector<std::string> characters(std::string_view s) {
    std::vector<std::string> out;
    for (char c : s) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 || out.empty()) {
            out.emplace_back();
        }
        out.back().push_back(c);
    }
    return out;
}

bool one_apart(std::string_view name, std::string_view typed) {
    auto const a = characters(name);
    auto const b = characters(typed);
    if (a.size() != b.size() || a.size() < 2) {
        return false;
    }
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        differ += a[i] != b[i] ? 1 : 0;
    }
    return differ == 1;
}

}  // namespace

std::vector<AttendanceRow> match_member_names(std::vector<AttendanceRow> const& rows, std::string_view typed) {
    std::string want;
    std::copy_if(typed.begin(), typed.end(), std::back_inserter(want), [](char c) { return c != ' '; });
    std::vector<AttendanceRow> exact;
    std::vector<AttendanceRow> near;
    if (want.empty()) {
        return exact;
    }
    for (auto const& r : rows) {
        if (r.name.empty()) {
            continue;
        }
        if (r.name == want) {
            exact.push_back(r);
        } else if (r.name.find(want) != std::string::npos || want.find(r.name) != std::string::npos ||
                   one_apart(r.name, want)) {
            near.push_back(r);
        }
    }
    return exact.empty() ? near : exact;
}

namespace {

//------------------------------------------------------------------------------------------------
// 签到码

net::awaitable<wechat::Reply> show_code(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        co_return admin.error();
    }
    auto const now = deps->clock->now_seconds();
    auto const scope = admin->scope();
    auto list = co_await scope_activities(ctx, scope, now - kLookBack, now + kLookAhead);
    if (!list) {
        co_return store_error_reply(ctx, list.error(), "code: list");
    }
    std::vector<Activity> open;
    std::copy_if(list->begin(), list->end(), std::back_inserter(open), [&](Activity const& a) { return is_open(a, now); });
    if (open.empty()) {
        auto next = std::find_if(list->begin(), list->end(),
                                 [&](Activity const& a) { return a.status != "cancelled" && a.opens > now; });
        if (next == list->end()) {
            co_return ctx.reply_template("activity.code.none");
        }
        auto const opens = beijing_month_day_time(next->opens);
        co_return ctx.reply_template("activity.code.next", {{"title", next->title}, {"time", opens}});
    }
    auto const& t = ctx.worker.templates();
    std::string lines;
    for (auto const& a : open) {
        auto code = co_await checkin_code(ctx.worker.redis(), scope, a.id, now, deps->activities.code_period.count());
        if (!code) {
            co_return store_error_reply(ctx, code.error(), "code");
        }
        auto const minutes = std::to_string(std::max<std::int64_t>(1, (code->valid_until - now + 59) / 60));
        if (open.size() == 1) {
            co_return ctx.reply_template("activity.code.one",
                                         {{"title", a.title}, {"code", code->code}, {"minutes", minutes}});
        }
        lines += "\n" + t.render("activity.code.item", {{"title", a.title}, {"code", code->code}, {"minutes", minutes}});
    }
    co_return ctx.reply_template("activity.code.many", {{"count", std::to_string(open.size())}, {"items", lines}});
}

//------------------------------------------------------------------------------------------------
// 代签 张三: the conversation's data is the activity, then "number|name" per member offered

// The open activity of the admin's scope that a proxy check-in is for: the one whose start is
// nearest to now when several are open.
net::awaitable<result<std::optional<Activity>, StoreError>> open_activity(BotContext& ctx, std::string const& scope,
                                                                          std::int64_t now) {
    auto list = co_await scope_activities(ctx, scope, now - kLookBack, now + 2 * kDay);
    if (!list) {
        co_return std::move(list.error());
    }
    std::optional<Activity> best;
    for (auto const& a : *list) {
        if (is_open(a, now) && (!best || std::abs(a.start - now) < std::abs(best->start - now))) {
            best = a;
        }
    }
    co_return best;
}

net::awaitable<wechat::Reply> proxy_check_in(RosterDeps const& deps, BotContext& ctx, ChatSender const& admin,
                                             std::string const& activity, std::string const& number,
                                             std::string const& name) {
    CheckinRequest request;
    request.member = number;
    request.channel = "proxy";
    request.activity = activity;
    request.by = admin.by();
    request.acting_for = number;
    request.scope = admin.scope();
    auto r = co_await check_in(deps, ctx.worker.redis(), request);
    if (!r) {
        co_return store_error_reply(ctx, r.error(), "proxy check-in");
    }
    auto const time = beijing_clock(r->record.at);
    if (r->record.already) {
        co_return ctx.reply_template("activity.proxy.already", {{"name", name}, {"time", time}});
    }
    co_return ctx.reply_template("activity.proxy.ok", {{"name", name}, {"title", r->record.title}, {"time", time}});
}

net::awaitable<wechat::Reply> proxy(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        co_return admin.error();
    }
    if (ctx.argument.empty()) {
        co_return ctx.reply_template("activity.proxy.ask");
    }
    auto const now = deps->clock->now_seconds();
    auto activity = co_await open_activity(ctx, admin->scope(), now);
    if (!activity) {
        co_return store_error_reply(ctx, activity.error(), "proxy: list");
    }
    if (!*activity) {
        co_return ctx.reply_template("activity.proxy.nothing_open");
    }
    auto const id = (*activity)->id;
    auto attendance = co_await activity_attendance(ctx.worker.redis(), admin->scope(), id);
    if (!attendance) {
        co_return store_error_reply(ctx, attendance.error(), "proxy: attendance");
    }
    auto matches = match_member_names(attendance->rows, ctx.argument);
    if (matches.empty()) {
        co_return ctx.reply_template("activity.proxy.unknown", {{"name", ctx.argument}});
    }
    if (matches.size() == 1) {
        co_return co_await proxy_check_in(*deps, ctx, *admin, id, matches[0].number, matches[0].name);
    }
    matches.resize(std::min(matches.size(), kChoices));
    std::vector<std::string> data{id};
    std::string list;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        data.push_back(matches[i].number + "|" + matches[i].name);
        list += (i == 0 ? "" : "\n") + ctx.worker.templates().render(
                                           "activity.proxy.item", {{"n", std::to_string(i + 1)},
                                                                   {"name", matches[i].name},
                                                                   {"number", matches[i].number}});
    }
    ctx.conversation = ConversationState{kProxy, 1, join_lines(data)};
    co_return ctx.reply_template("activity.proxy.pick", {{"list", list}});
}

net::awaitable<wechat::Reply> proxy_step(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto const lines = data_lines(ctx.conversation->data);
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        ctx.conversation.reset();
        co_return admin.error();
    }
    auto const i = chosen_index(ctx.argument, lines.size() - 1);
    if (!i) {
        co_return ctx.reply_template("activity.pick.again");
    }
    ctx.conversation.reset();
    auto const& chosen = lines[*i + 1];
    auto const bar = chosen.find('|');
    co_return co_await proxy_check_in(*deps, ctx, *admin, lines.front(), chosen.substr(0, bar),
                                      chosen.substr(bar + 1));
}

//------------------------------------------------------------------------------------------------
// 统计: the current or most recent activity of the scope

std::string names_line(BotContext const& ctx, std::vector<std::string> const& names, std::string_view key,
                       std::string_view key_more) {
    std::string shown;
    for (std::size_t i = 0; i < std::min(names.size(), kNamesShown); ++i) {
        shown += (i == 0 ? "" : "、") + names[i];
    }
    if (names.size() > kNamesShown) {
        return ctx.worker.templates().render(key_more, {{"names", shown}, {"count", std::to_string(names.size())}});
    }
    return ctx.worker.templates().render(key, {{"names", shown}});
}

net::awaitable<wechat::Reply> statistics(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        co_return admin.error();
    }
    auto const now = deps->clock->now_seconds();
    auto list = co_await scope_activities(ctx, admin->scope(), now - kStatsBack, now + 2 * kDay);
    if (!list) {
        co_return store_error_reply(ctx, list.error(), "statistics: list");
    }
    auto last = std::find_if(list->rbegin(), list->rend(),
                             [&](Activity const& a) { return a.status != "cancelled" && a.opens <= now; });
    if (last == list->rend()) {
        co_return ctx.reply_template("activity.stats.none");
    }
    auto att = co_await activity_attendance(ctx.worker.redis(), admin->scope(), last->id);
    if (!att) {
        co_return store_error_reply(ctx, att.error(), "statistics");
    }
    std::size_t present = 0;
    std::size_t proxied = 0;
    std::vector<std::string> absent;
    std::vector<std::string> on_leave;
    for (auto const& r : att->rows) {
        present += r.state == "present" || r.state == "proxied" ? 1 : 0;
        proxied += r.state == "proxied" ? 1 : 0;
        if (r.state == "absent") {
            absent.push_back(r.name);
        } else if (r.state == "leave") {
            on_leave.push_back(r.name);
        }
    }
    auto const& t = ctx.worker.templates();
    auto const date = beijing_month_day(last->start);
    auto const expected = std::to_string(att->rows.size());
    auto const here = std::to_string(present);
    auto const by_proxy = std::to_string(proxied);
    auto const leave = std::to_string(on_leave.size());
    auto text = proxied > 0 ? t.render("activity.stats.summary", {{"title", last->title},
                                                                  {"date", date},
                                                                  {"expected", expected},
                                                                  {"present", here},
                                                                  {"proxied", by_proxy},
                                                                  {"leave", leave}})
                            : t.render("activity.stats.summary_plain", {{"title", last->title},
                                                                        {"date", date},
                                                                        {"expected", expected},
                                                                        {"present", here},
                                                                        {"leave", leave}});
    text += "\n" + (absent.empty() ? t.render("activity.stats.all_here")
                                   : names_line(ctx, absent, "activity.stats.absent", "activity.stats.absent_more"));
    if (!on_leave.empty()) {
        text += "\n" + names_line(ctx, on_leave, "activity.stats.on_leave", "activity.stats.on_leave_more");
    }
    co_return ctx.reply(std::move(text));
}

}  // namespace

//------------------------------------------------------------------------------------------------
// Registration

void register_activity_admin_commands(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command("签到码", {"簽到碼", "看签到码", "要签到码"}, [deps](BotContext& ctx) { return show_code(deps, ctx); });
    bot.add_command(kProxy, {"代签到", "代簽"}, [deps](BotContext& ctx) { return proxy(deps, ctx); });
    bot.add_conversation(kProxy, [deps](BotContext& ctx) { return proxy_step(deps, ctx); });
    bot.add_command("统计", {"签到统计", "出勤", "統計"}, [deps](BotContext& ctx) { return statistics(deps, ctx); });
}

std::vector<server::TemplateNeed> activity_admin_template_needs() {
    return {
        {"activity.code.one", {"title", "code", "minutes"}},
        {"activity.code.item", {"title", "code", "minutes"}},
        {"activity.code.many", {"count", "items"}},
        {"activity.code.next", {"title", "time"}},
        {"activity.code.none", {}},
        {"activity.proxy.ask", {}},
        {"activity.proxy.nothing_open", {}},
        {"activity.proxy.unknown", {"name"}},
        {"activity.proxy.item", {"n", "name", "number"}},
        {"activity.proxy.pick", {"list"}},
        {"activity.proxy.ok", {"name", "title", "time"}},
        {"activity.proxy.already", {"name", "time"}},
        {"activity.stats.summary", {"title", "date", "expected", "present", "proxied", "leave"}},
        {"activity.stats.summary_plain", {"title", "date", "expected", "present", "leave"}},
        {"activity.stats.absent", {"names"}},
        {"activity.stats.absent_more", {"names", "count"}},
        {"activity.stats.on_leave", {"names"}},
        {"activity.stats.on_leave_more", {"names", "count"}},
        {"activity.stats.all_here", {}},
        {"activity.stats.none", {}},
    };
}

}  // namespace bense::handlers

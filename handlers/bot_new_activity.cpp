// See bot_new_activity.hpp. Each conversation keeps its answers one per line in the state's
// data (bot_activity.hpp data_lines) and asks for the current admin again at every step, so a
// secretary who lost the role midway is refused. Sections: helpers, 新建活动, 取消活动, 修改活动.
#include "handlers/bot_new_activity.hpp"

#include "handlers/activity_draft.hpp"
#include "handlers/activity_types.hpp"
#include "handlers/beijing_time.hpp"
#include "handlers/bot_activity.hpp"
#include "handlers/date_phrase.hpp"
#include "handlers/text_fields.hpp"
#include "server/worker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace bense::handlers {
namespace {

constexpr char kNew[] = "新建活动";
constexpr char kCancel[] = "取消活动";
constexpr char kEdit[] = "修改活动";
constexpr std::int64_t kAhead = 90 * 86400;  // activities offered to change or cancel
constexpr std::size_t kChoices = 9;
constexpr std::size_t kMaxTitle = 40;
constexpr std::size_t kMaxPlace = 60;

//------------------------------------------------------------------------------------------------
// Helpers

bool is_yes(std::string_view t) {
    for (std::string_view w : {"确认", "确定", "是", "是的", "对", "对的", "好", "好的", "可以", "ok", "没问题"}) {
        if (t == w) {
            return true;
        }
    }
    return false;
}

bool is_none(std::string_view t) {
    return t == "无" || t == "-" || t == "没有" || t == "暂无" || t == "不写" || t == "—";
}

std::int64_t to_int(std::string_view s) {
    std::int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// "12月5日 14:30", or "12月5日 14:30-16:00" with an end (Unix seconds as text, "" for none).
std::string time_text(std::string_view start, std::string_view end) {
    return beijing_month_day_time(to_int(start)) + (end.empty() ? std::string() : "-" + beijing_clock(to_int(end)));
}

std::string place_text(BotContext const& ctx, std::string const& place) {
    return place.empty() ? ctx.worker.templates().render("activity.place.none") : place;
}

// The scheduled activities of the admin's scope yet to start, soonest first, at most kChoices.
net::awaitable<result<std::vector<Activity>, StoreError>> to_come(BotContext& ctx, std::string const& scope,
                                                                  std::int64_t now) {
    auto list = co_await list_activities(ctx.worker.redis(), now + 1, now + kAhead, "", fcall_args(scope));
    if (!list) {
        co_return std::move(list.error());
    }
    std::erase_if(*list, [](Activity const& a) { return a.status == "cancelled"; });
    list->resize(std::min(list->size(), kChoices));
    co_return std::move(*list);
}

// Starts a choose-an-activity conversation (取消活动, 修改活动): its step 1 with the ids offered.
net::awaitable<wechat::Reply> offer_activities(std::shared_ptr<RosterDeps const> deps, BotContext& ctx,
                                               char const* name, std::string_view none, std::string_view pick) {
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        co_return admin.error();
    }
    auto list = co_await to_come(ctx, admin->scope(), deps->clock->now_seconds());
    if (!list) {
        co_return store_error_reply(ctx, list.error(), name);
    }
    if (list->empty()) {
        co_return ctx.reply_template(none);
    }
    std::vector<std::string> ids;
    for (auto const& a : *list) {
        ids.push_back(a.id);
    }
    ctx.conversation = ConversationState{name, 1, join_lines(ids)};
    co_return ctx.reply_template(pick, {{"list", numbered_activities(ctx, *list)}});
}

// The activity a step is about, or the reply that ends the conversation.
net::awaitable<result<Activity, wechat::Reply>> activity_of_step(BotContext& ctx, std::string const& id) {
    auto a = co_await get_activity(ctx.worker.redis(), id);
    if (!a) {
        ctx.conversation.reset();
        co_return store_error_reply(ctx, a.error(), "activity of a step");
    }
    co_return std::move(*a);
}

//------------------------------------------------------------------------------------------------
// 新建活动: step 1 title, 2 time, 3 place, 4 confirm, and 5 the time again when it had gone by
// at the confirmation (then straight back to 4); data: title, start, end, place

wechat::Reply ask_new_confirm(BotContext& ctx, std::vector<std::string> const& d) {
    auto const type = activity_type_of_title(d[0]);
    auto const time = time_text(d[1], d[2]);
    auto const place = place_text(ctx, d[3]);
    return ctx.reply_template("activity.new.confirm",
                              {{"type", type.name}, {"title", d[0]}, {"time", time}, {"place", place}});
}

net::awaitable<wechat::Reply> create(RosterDeps const& deps, BotContext& ctx, ChatSender const& admin,
                                     std::vector<std::string> const& d) {
    auto const now = deps.clock->now_seconds();
    ActivityDraft draft;
    draft.type = std::string(activity_type_of_title(d[0]).code);
    draft.title = d[0];
    draft.branch = admin.scope();
    draft.start = to_int(d[1]);
    if (!d[2].empty()) {
        draft.end = to_int(d[2]);
    }
    draft.place = d[3];
    auto fields = activity_fields(draft, deps.activities, now);
    if (!fields) {
        // Title and place were checked at their steps: what fails now is the time (gone by).
        ctx.conversation = ConversationState{kNew, 5, join_lines({d[0], "", "", d[3]})};
        co_return ctx.reply_template("activity.new.failed", {{"reason", fields.error().reason}});
    }
    ctx.conversation.reset();
    auto id = co_await create_activity(ctx.worker.redis(), admin.acting(now), std::move(*fields),
                                       new_activity_secret(deps.random));
    if (!id) {
        co_return store_error_reply(ctx, id.error(), "new activity");
    }
    auto const time = time_text(d[1], d[2]);
    co_return ctx.reply_template("activity.new.done", {{"title", draft.title}, {"time", time}});
}

net::awaitable<wechat::Reply> start_new(BotContext& ctx) {
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        co_return admin.error();
    }
    // "新建活动 12月主题党日" names the title at once.
    auto const& title = ctx.argument;
    if (!title.empty() && count_characters(title) <= kMaxTitle) {
        ctx.conversation = ConversationState{kNew, 2, title};
        co_return ctx.reply_template("activity.new.ask_time");
    }
    ctx.conversation = ConversationState{kNew, 1, ""};
    co_return ctx.reply_template("activity.new.ask_title");
}

net::awaitable<wechat::Reply> new_step(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto const state = *ctx.conversation;
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        ctx.conversation.reset();
        co_return admin.error();
    }
    auto d = data_lines(state.data);
    d.resize(4);
    auto const& text = ctx.text;
    switch (state.step) {
        case 1:
            if (text.empty() || count_characters(text) > kMaxTitle) {
                co_return ctx.reply_template("activity.new.bad_title");
            }
            ctx.conversation = ConversationState{kNew, 2, text};
            co_return ctx.reply_template("activity.new.ask_time");
        case 2:
        case 5: {
            auto t = parse_date_phrase(text, deps->clock->now_seconds());
            if (!t) {
                co_return ctx.reply_template("activity.new.bad_time", {{"reason", t.error()}});
            }
            d[1] = std::to_string(t->start);
            d[2] = t->end ? std::to_string(*t->end) : std::string();
            if (state.step == 5) {
                ctx.conversation = ConversationState{kNew, 4, join_lines(d)};
                co_return ask_new_confirm(ctx, d);
            }
            d.resize(3);
            ctx.conversation = ConversationState{kNew, 3, join_lines(d)};
            co_return ctx.reply_template("activity.new.ask_place");
        }
        case 3: {
            auto const place = is_none(text) ? std::string() : text;
            if (count_characters(place) > kMaxPlace) {
                co_return ctx.reply_template("activity.new.bad_place");
            }
            d[3] = place;
            ctx.conversation = ConversationState{kNew, 4, join_lines(d)};
            co_return ask_new_confirm(ctx, d);
        }
        default:
            if (!is_yes(text)) {
                co_return ctx.reply_template("activity.new.confirm_again");
            }
            co_return co_await create(*deps, ctx, *admin, d);
    }
}

//------------------------------------------------------------------------------------------------
// 取消活动: step 1 choose, 2 reason, 3 confirm; data: the ids offered, then id and reason

net::awaitable<wechat::Reply> cancel_step(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto const state = *ctx.conversation;
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        ctx.conversation.reset();
        co_return admin.error();
    }
    auto const d = data_lines(state.data);
    std::string const id = state.step == 1 ? std::string() : d[0];
    if (state.step == 1) {
        auto const i = chosen_index(ctx.argument, d.size());
        if (!i) {
            co_return ctx.reply_template("activity.pick.again");
        }
        auto a = co_await activity_of_step(ctx, d[*i]);
        if (!a) {
            co_return a.error();
        }
        ctx.conversation = ConversationState{kCancel, 2, a->id};
        co_return ctx.reply_template("activity.cancel.ask_reason", {{"title", a->title}});
    }
    auto a = co_await activity_of_step(ctx, id);
    if (!a) {
        co_return a.error();
    }
    auto const time = beijing_month_day_time(a->start);
    if (state.step == 2) {
        auto const reason = is_none(ctx.text) ? std::string() : ctx.text;
        ctx.conversation = ConversationState{kCancel, 3, join_lines({id, reason})};
        co_return ctx.reply_template("activity.cancel.confirm", {{"title", a->title}, {"time", time}});
    }
    ctx.conversation.reset();
    if (!is_yes(ctx.text)) {
        co_return ctx.reply_template("activity.cancel.kept", {{"title", a->title}});
    }
    auto const now = deps->clock->now_seconds();
    // Named, not a conditional inside the co_await: GCC 12 destroys such a temporary twice.
    std::string const reason = d.size() > 1 ? d[1] : std::string();
    auto const acting = admin->acting(now);
    auto r = co_await cancel_activity(ctx.worker.redis(), acting, id, reason);
    if (!r) {
        co_return store_error_reply(ctx, r.error(), "cancel activity");
    }
    co_return ctx.reply_template("activity.cancel.done", {{"title", a->title}, {"time", time}});
}

//------------------------------------------------------------------------------------------------
// 修改活动: step 1 choose, 2 the change, 3 confirm; data: the ids offered, then id, what, values

struct Change {
    std::string what;  // time, place, title
    std::string value;
};

std::optional<Change> read_change(std::string_view text) {
    static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
        {"时间", "time"},  {"日期", "time"},  {"地点", "place"}, {"地方", "place"},
        {"名称", "title"}, {"名字", "title"}, {"标题", "title"}};
    for (auto [word, what] : kWords) {
        if (!text.starts_with(word)) {
            continue;
        }
        auto rest = text.substr(word.size());
        for (bool again = true; again;) {
            again = false;
            for (std::string_view filler : {" ", ":", "改为", "改成", "为", "是"}) {
                if (rest.starts_with(filler)) {
                    rest.remove_prefix(filler.size());
                    again = true;
                }
            }
        }
        return Change{std::string(what), std::string(rest)};
    }
    return std::nullopt;
}

// The change as the lines after the id, or the reply asking again.
result<std::vector<std::string>, wechat::Reply> checked_change(RosterDeps const& deps, BotContext& ctx) {
    auto c = read_change(ctx.text);
    if (!c || (c->value.empty() && c->what != "place")) {
        return ctx.reply_template("activity.edit.ask_again");
    }
    if (c->what == "time") {
        auto t = parse_date_phrase(c->value, deps.clock->now_seconds());
        if (!t) {
            return ctx.reply_template("activity.new.bad_time", {{"reason", t.error()}});
        }
        return std::vector<std::string>{"time", std::to_string(t->start), t->end ? std::to_string(*t->end) : ""};
    }
    if (c->what == "place") {
        auto const place = is_none(c->value) ? std::string() : c->value;
        if (count_characters(place) > kMaxPlace) {
            return ctx.reply_template("activity.new.bad_place");
        }
        return std::vector<std::string>{"place", place};
    }
    if (count_characters(c->value) > kMaxTitle) {
        return ctx.reply_template("activity.new.bad_title");
    }
    return std::vector<std::string>{"title", c->value};
}

// The stored activity with the change applied. A new time moves the whole activity: its
// length (unless a range was typed) and the check-in margins stay.
ActivityDraft changed(Activity const& a, std::vector<std::string> const& c) {
    auto d = draft_of(a);
    if (c[0] == "time") {
        auto const start = to_int(c[1]);
        auto const before = d.start - *d.opens;
        auto const after = *d.closes - *d.end;
        d.end = c[2].empty() ? start + (*d.end - d.start) : to_int(c[2]);
        d.start = start;
        d.opens = start - before;
        d.closes = *d.end + after;
    } else if (c[0] == "place") {
        d.place = c[1];
    } else {
        d.title = c[1];
    }
    return d;
}

net::awaitable<wechat::Reply> edit_step(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto const state = *ctx.conversation;
    auto admin = co_await chat_admin(ctx);
    if (!admin) {
        ctx.conversation.reset();
        co_return admin.error();
    }
    auto const d = data_lines(state.data);
    auto const i = state.step == 1 ? chosen_index(ctx.argument, d.size()) : std::optional<std::size_t>(0);
    if (!i) {
        co_return ctx.reply_template("activity.pick.again");
    }
    auto a = co_await activity_of_step(ctx, d[*i]);
    if (!a) {
        co_return a.error();
    }
    if (state.step == 1) {
        ctx.conversation = ConversationState{kEdit, 2, a->id};
        co_return ctx.reply_template("activity.edit.ask", {{"title", a->title}});
    }
    if (state.step == 2) {
        auto c = checked_change(*deps, ctx);
        if (!c) {
            co_return c.error();
        }
        auto lines = *c;
        lines.insert(lines.begin(), a->id);
        ctx.conversation = ConversationState{kEdit, 3, join_lines(lines)};
        auto const value = (*c)[0] == "time"    ? time_text((*c)[1], (*c)[2])
                           : (*c)[0] == "place" ? place_text(ctx, (*c)[1])
                                                : (*c)[1];
        co_return ctx.reply_template("activity.edit.confirm_" + (*c)[0], {{"title", a->title}, {"value", value}});
    }
    if (!is_yes(ctx.text)) {
        co_return ctx.reply_template("activity.edit.confirm_again");
    }
    auto const now = deps->clock->now_seconds();
    auto const draft = changed(*a, std::vector<std::string>(d.begin() + 1, d.end()));
    auto fields = activity_fields(draft, deps->activities, now);
    if (!fields) {
        ctx.conversation = ConversationState{kEdit, 2, a->id};
        co_return ctx.reply_template("activity.edit.failed", {{"reason", fields.error().reason}});
    }
    ctx.conversation.reset();
    auto r = co_await update_activity(ctx.worker.redis(), admin->acting(now), a->id, std::move(*fields));
    if (!r) {
        co_return store_error_reply(ctx, r.error(), "edit activity");
    }
    if (*r == "unchanged") {
        co_return ctx.reply_template("activity.edit.unchanged");
    }
    auto const time = beijing_month_day_time(draft.start);
    auto const place = place_text(ctx, draft.place);
    co_return ctx.reply_template("activity.edit.done", {{"title", draft.title}, {"time", time}, {"place", place}});
}

}  // namespace

void register_new_activity_conversations(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command(kNew, {"新建", "建活动", "新活动", "创建活动"}, [](BotContext& ctx) { return start_new(ctx); });
    bot.add_conversation(kNew, [deps](BotContext& ctx) { return new_step(deps, ctx); });
    bot.add_command(kCancel, {}, [deps](BotContext& ctx) {
        return offer_activities(deps, ctx, kCancel, "activity.cancel.none", "activity.cancel.pick");
    });
    bot.add_conversation(kCancel, [deps](BotContext& ctx) { return cancel_step(deps, ctx); });
    bot.add_command(kEdit, {"改活动", "更改活动"}, [deps](BotContext& ctx) {
        return offer_activities(deps, ctx, kEdit, "activity.edit.none", "activity.edit.pick");
    });
    bot.add_conversation(kEdit, [deps](BotContext& ctx) { return edit_step(deps, ctx); });
}

std::vector<server::TemplateNeed> new_activity_template_needs() {
    return {
        {"activity.place.none", {}},
        {"activity.new.ask_title", {}},
        {"activity.new.bad_title", {}},
        {"activity.new.ask_time", {}},
        {"activity.new.bad_time", {"reason"}},
        {"activity.new.ask_place", {}},
        {"activity.new.bad_place", {}},
        {"activity.new.confirm", {"type", "title", "time", "place"}},
        {"activity.new.confirm_again", {}},
        {"activity.new.failed", {"reason"}},
        {"activity.new.done", {"title", "time"}},
        {"activity.cancel.none", {}},
        {"activity.cancel.pick", {"list"}},
        {"activity.cancel.ask_reason", {"title"}},
        {"activity.cancel.confirm", {"title", "time"}},
        {"activity.cancel.kept", {"title"}},
        {"activity.cancel.done", {"title", "time"}},
        {"activity.edit.none", {}},
        {"activity.edit.pick", {"list"}},
        {"activity.edit.ask", {"title"}},
        {"activity.edit.ask_again", {}},
        {"activity.edit.confirm_time", {"title", "value"}},
        {"activity.edit.confirm_place", {"title", "value"}},
        {"activity.edit.confirm_title", {"title", "value"}},
        {"activity.edit.confirm_again", {}},
        {"activity.edit.failed", {"reason"}},
        {"activity.edit.unchanged", {}},
        {"activity.edit.done", {"title", "time", "place"}},
    };
}

}  // namespace bense::handlers

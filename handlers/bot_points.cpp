// See bot_points.hpp.
#include "handlers/bot_points.hpp"

#include "handlers/points_ledger.hpp"
#include "handlers/points_views.hpp"
#include "handlers/roster_store.hpp"
#include "server/worker.hpp"

#include <spdlog/spdlog.h>

namespace bense::handlers {
namespace {

net::awaitable<wechat::Reply> my_points(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto const ident = ctx.message.endpoint + ":" + ctx.message.from_user;
    RosterStore store(ctx.worker.redis());
    auto who = co_await store.call("whois", fcall_args(ident));
    if (!who) {
        spdlog::warn("bot: points of {}: {}", ident, who.error().ec.message());
        co_return ctx.reply_template("error.server.internal");
    }
    auto member = who->empty() ? std::nullopt : read_summary(who->front());
    if (!member) {
        co_return ctx.reply_template("bot.bind.ask");
    }
    auto const year = beijing_year(deps->clock->now_seconds());
    auto h = co_await points_history(ctx.worker.redis(), member->number, year, "", 1);
    if (!h) {
        spdlog::warn("bot: points of {}: {}", member->number, h.error().ec.message());
        co_return ctx.reply_template("error.server.internal");
    }
    auto const year_total = std::to_string(h->year_total);
    auto const total = std::to_string(h->total);
    co_return ctx.reply_template(member->proxy ? "bot.points.proxy" : "bot.points.self",
                                 {{"name", member->name}, {"year_total", year_total}, {"total", total}});
}

}  // namespace

void register_points_command(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command("积分", {"我的积分", "查积分", "学习积分"},
                    [deps](BotContext& ctx) { return my_points(deps, ctx); });
    bot.add_menu_key("POINTS", "积分");
}

std::vector<server::TemplateNeed> points_template_needs() {
    return {{"bot.points.self", {"name", "year_total", "total"}}, {"bot.points.proxy", {"name", "year_total", "total"}}};
}

}  // namespace bense::handlers

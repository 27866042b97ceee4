// See bot_binding.hpp.
#include "handlers/bot_binding.hpp"

#include "handlers/roster_errors.hpp"
#include "handlers/roster_store.hpp"
#include "handlers/session_routes.hpp"
#include "server/worker.hpp"

#include <spdlog/spdlog.h>

namespace bense::handlers {
namespace {

net::awaitable<wechat::Reply> bind_in_chat(std::shared_ptr<RosterDeps const> deps, BotContext& ctx) {
    auto code = read_binding_code(ctx.argument);
    if (!code) {
        co_return ctx.reply_template("bot.bind.ask");
    }
    auto const& cfg = deps->config;
    auto const ident = ctx.message.endpoint + ":" + ctx.message.from_user;
    RosterStore store(ctx.worker.redis());
    auto const window = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.failure_window).count();
    auto r = co_await store.call("bind_code", fcall_args(ident, *code, std::to_string(deps->clock->now_seconds()), "chat",
                                               std::to_string(cfg.max_user_failures),
                                               std::to_string(cfg.max_code_attempts), std::to_string(window)));
    if (!r) {
        if (r.error().ec.category() != roster_category()) {
            spdlog::warn("bot: binding of {} failed: {}", ident, r.error().ec.message());
        }
        auto const& row = roster_error_row(r.error().ec);
        co_return ctx.reply_template(row.template_key, {{"name", r.error().detail}});
    }
    auto member = read_summary(r->front());
    if (!member) {
        co_return ctx.reply_template("error.server.internal");
    }
    if (member->proxy) {
        co_return ctx.reply_template("bot.bind.ok_proxy", {{"name", member->name}});
    }
    co_return ctx.reply_template("bot.bind.ok", {{"name", member->name}, {"branch", member->branch_name}});
}

}  // namespace

void register_binding_command(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command("绑定", {"綁定", "bind"},
                    [deps](BotContext& ctx) { return bind_in_chat(deps, ctx); });
    bot.add_menu_key("BIND", "绑定");  // the menu's 绑定身份: says how to send the code
}

std::vector<server::TemplateNeed> binding_template_needs() {
    return {{"bot.bind.ask", {}}, {"bot.bind.ok", {"name", "branch"}}, {"bot.bind.ok_proxy", {"name"}}};
}

}  // namespace bense::handlers

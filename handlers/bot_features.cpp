// The features of the chat bot: help (also the answer to anything unknown), binding (绑定
// 123456), 积分 (one's own points), activities (签到, 请假, 活动 and the secretaries' commands)
// and the welcome on subscribe, which says how to bind.
#include "handlers/bot_features.hpp"

#include "handlers/bot_activity.hpp"
#include "handlers/bot_binding.hpp"
#include "handlers/bot_points.hpp"

namespace bense::handlers {
namespace {

net::awaitable<wechat::Reply> help(BotContext& ctx) { co_return ctx.reply_template("bot.help"); }

net::awaitable<wechat::Reply> welcome(BotContext& ctx) { co_return ctx.reply_template("bot.welcome"); }

}  // namespace

void register_bot_features(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command("帮助", {"help", "?", "帮忙", "怎么用", "说明", "菜单"}, help);
    register_binding_command(bot, deps);
    register_points_command(bot, deps);
    register_activity_commands(bot, std::move(deps));
    bot.add_menu_key("HELP", "帮助");
    bot.on_subscribe(welcome);
}

std::vector<server::TemplateNeed> bot_feature_template_needs() {
    auto needs = bot_template_needs();
    needs.push_back({"bot.welcome", {}});
    for (auto const& more : {binding_template_needs(), points_template_needs(), activity_template_needs()}) {
        needs.insert(needs.end(), more.begin(), more.end());
    }
    return needs;
}

}  // namespace bense::handlers

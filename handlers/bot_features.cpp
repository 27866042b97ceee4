// The features of the chat bot: help (also the answer to anything unknown), binding (绑定
// 123456) and the welcome on subscribe, which tells a new follower how to bind.
#include "handlers/bot_features.hpp"

#include "handlers/bot_binding.hpp"

namespace bense::handlers {
namespace {

net::awaitable<wechat::Reply> help(BotContext& ctx) { co_return ctx.reply_template("bot.help"); }

net::awaitable<wechat::Reply> welcome(BotContext& ctx) { co_return ctx.reply_template("bot.welcome"); }

}  // namespace

void register_bot_features(Bot& bot, std::shared_ptr<RosterDeps const> deps) {
    bot.add_command("帮助", {"help", "?", "帮忙", "怎么用", "说明", "菜单"}, help);
    register_binding_command(bot, std::move(deps));
    bot.add_menu_key("HELP", "帮助");
    bot.on_subscribe(welcome);
}

std::vector<server::TemplateNeed> bot_feature_template_needs() {
    auto needs = bot_template_needs();
    needs.push_back({"bot.welcome", {}});
    for (auto& n : binding_template_needs()) {
        needs.push_back(std::move(n));
    }
    return needs;
}

}  // namespace bense::handlers

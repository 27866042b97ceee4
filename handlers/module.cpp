// The list of features. A feature joins the service by adding itself to these functions.
#include "handlers/module.hpp"

#include "handlers/bot.hpp"
#include "handlers/bot_features.hpp"
#include "wechat/callback_check.hpp"
#include "wechat/callback_store.hpp"
#include "wechat/gateway.hpp"

namespace bense::handlers {

server::SectionParsers config_sections(Settings& settings) {
    return {{"wechat", [&settings](server::JsonObjectReader& r) {
                 settings.wechat = {};
                 wechat::read_gateway_config(r, settings.wechat);
             }}};
}

void add_chat_routes(server::Router& router, wechat::GatewayConfig const& config,
                     std::shared_ptr<server::Clock const> clock) {
    auto bot = std::make_shared<Bot>();
    register_bot_features(*bot);
    wechat::GatewayOptions gateway{
        config,
        [bot](wechat::Message const& m, server::Worker& w, wechat::UserState s) { return bot->handle(m, w, std::move(s)); },
        std::move(clock), &Bot::state_key};
    wechat::add_gateway_routes(router, std::move(gateway));
}

void add_routes(server::Router& router, Settings const& settings) {
    add_chat_routes(router, settings.wechat, nullptr);
}

std::vector<server::TemplateNeed> template_needs() {
    auto needs = wechat::callback_template_needs();
    for (auto& n : bot_feature_template_needs()) {
        needs.push_back(std::move(n));
    }
    return needs;
}

std::vector<std::string_view> redis_libraries() { return {wechat::callback_redis_library()}; }

}  // namespace bense::handlers

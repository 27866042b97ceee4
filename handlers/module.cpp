// The list of features. A feature joins the service by adding itself to these functions.
#include "handlers/module.hpp"

#include "handlers/bot.hpp"
#include "handlers/activity_routes.hpp"
#include "handlers/activity_store.hpp"
#include "handlers/activity_types.hpp"
#include "handlers/admin_routes.hpp"
#include "handlers/bot_features.hpp"
#include "handlers/checkin_batch.hpp"
#include "handlers/points_batch.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_store.hpp"
#include "handlers/session_routes.hpp"
#include "wechat/callback_check.hpp"
#include "wechat/callback_store.hpp"
#include "server/digest.hpp"
#include "wechat/gateway.hpp"

namespace bense::handlers {

namespace {

// The "points" section names the rules file and the branch assessment's file; both are read
// and checked now, and every activity type's check-in rule must be in the rules.
void read_points_section(server::JsonObjectReader& r, Settings& settings) {
    std::string rules_file = "config/points.jsonc";
    std::string assessment_file = "config/assessment.jsonc";
    r.read("rules_file", rules_file);
    r.read("assessment_file", assessment_file);
    r.finish();
    if (!r.ok()) {
        return;
    }
    auto rules = load_points_rules(rules_file);
    if (!rules) {
        return r.fail(r.path_of("rules_file") + ": " + rules.error());
    }
    for (auto const& type : activity_types()) {
        if (rules->find(type.points) == nullptr) {
            return r.fail(r.path_of("rules_file") + ": no rule \"" + std::string(type.points) + "\" for check-ins at " +
                          std::string(type.code));
        }
    }
    auto assessment = load_assessment_rules(assessment_file);
    if (!assessment) {
        return r.fail(r.path_of("assessment_file") + ": " + assessment.error());
    }
    settings.points = std::move(*rules);
    settings.assessment = std::move(*assessment);
}

}  // namespace

server::SectionParsers config_sections(Settings& settings) {
    return {{"wechat",
             [&settings](server::JsonObjectReader& r) {
                 settings.wechat = {};
                 wechat::read_gateway_config(r, settings.wechat);
             }},
            {"roster",
             [&settings](server::JsonObjectReader& r) {
                 settings.roster = {};
                 read_roster_config(r, settings.roster);
             }},
            {"activities",
             [&settings](server::JsonObjectReader& r) {
                 settings.activities = {};
                 read_activity_config(r, settings.activities);
             }},
            {"points", [&settings](server::JsonObjectReader& r) { read_points_section(r, settings); }}};
}

void add_chat_routes(server::Router& router, wechat::GatewayConfig const& config,
                     std::shared_ptr<RosterDeps const> deps) {
    auto bot = std::make_shared<Bot>();
    register_bot_features(*bot, deps);
    auto clock = deps->clock;
    wechat::GatewayOptions gateway{
        config,
        [bot](wechat::Message const& m, server::Worker& w, wechat::UserState s) { return bot->handle(m, w, std::move(s)); },
        std::move(clock), &Bot::state_key};
    wechat::add_gateway_routes(router, std::move(gateway));
}

void add_routes(server::Router& router, Settings const& settings, std::shared_ptr<server::Clock const> clock,
                server::RandomBytes random) {
    auto deps = std::make_shared<RosterDeps>();
    deps->config = settings.roster;
    deps->points = settings.points;
    deps->activities = settings.activities;
    deps->assessment = settings.assessment;
    deps->checkin_rules = checkin_rules_arg(deps->points);
    if (deps->activities.scene_secret.empty()) {
        // Its own key, derived so that a deployment has one secret fewer to keep.
        deps->activities.scene_secret = server::hmac_sha256_hex(settings.roster.phone_hash_secret, "bense scene key");
    }
    deps->clock = std::move(clock);
    deps->random = std::move(random);
    std::shared_ptr<RosterDeps const> frozen = deps;
    add_chat_routes(router, settings.wechat, frozen);
    add_session_routes(router, frozen);
    add_admin_routes(router, frozen);
    add_activity_routes(router, frozen);
}

void add_routes(server::Router& router, Settings const& settings) {
    add_routes(router, settings, std::make_shared<server::SystemClock const>(), &server::system_random_bytes);
}

std::vector<std::function<void(server::Worker&)>> worker_setup() { return {&attach_checkin_batcher, &attach_award_batcher}; }

std::vector<server::TemplateNeed> template_needs() {
    auto needs = wechat::callback_template_needs();
    for (auto const& more : {bot_feature_template_needs(), roster_error_template_needs()}) {
        needs.insert(needs.end(), more.begin(), more.end());
    }
    return needs;
}

std::vector<std::string_view> redis_libraries() {
    return {wechat::callback_redis_library(), roster_redis_library(), points_redis_library(),
            activity_redis_library()};
}

}  // namespace bense::handlers

// What the domain contributes to the runtime: its routes, config sections, templates and
// Redis function libraries. main.cpp asks here, so it never lists features one by one.
#pragma once

#include "handlers/roster_config.hpp"
#include "server/clock.hpp"
#include "server/config.hpp"
#include "server/router.hpp"
#include "server/templates.hpp"
#include "wechat/gateway_config.hpp"

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace bense::handlers {

// What the domain's config sections hold once the file is read.
struct Settings {
    wechat::GatewayConfig wechat;
    RosterConfig roster;
    PointsRules points;  // from the file the "points" section names
    ActivityConfig activities;
    AssessmentRules assessment;  // from the file the "points" section names
};

// Parsers that fill `settings` while the config file is read; `settings` must outlive them.
server::SectionParsers config_sections(Settings& settings);
void add_routes(server::Router& router, Settings const& settings);
// The same with a given clock and random source (tests).
void add_routes(server::Router& router, Settings const& settings, std::shared_ptr<server::Clock const> clock,
                server::RandomBytes random);
std::vector<server::TemplateNeed> template_needs();
std::vector<std::string_view> redis_libraries();
// Per-worker services for Runtime::worker_setup (the batches of members' check-ins and of
// awards): the routes work without them, one call to Redis per check-in or award.
std::vector<std::function<void(server::Worker&)>> worker_setup();

// The WeChat callback endpoints with the chat bot behind them (tests call this directly,
// with their own config and a fixed clock).
void add_chat_routes(server::Router& router, wechat::GatewayConfig const& config,
                     std::shared_ptr<RosterDeps const> deps);

}  // namespace bense::handlers

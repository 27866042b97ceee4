// Configuration of members and binding: the "roster" section.
#pragma once

#include "handlers/activity_config.hpp"
#include "handlers/assessment_rules.hpp"
#include "handlers/points_rules.hpp"
#include "server/clock.hpp"
#include "server/digest.hpp"
#include "server/json.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace bense::handlers {

struct RosterConfig {
    // Key of the HMAC that phone numbers are kept as (never in clear); at least 16 bytes.
    std::string phone_hash_secret;
    // Binding codes handed out at a branch meeting stay valid this long.
    std::chrono::seconds code_ttl = std::chrono::hours(24 * 30);
    // A mini-program session lasts this long after its last use (sliding).
    std::chrono::seconds session_ttl = std::chrono::hours(24 * 30);
    // Failed binding attempts allowed per WeChat user, and tries of one code value, per window.
    int max_user_failures = 5;
    int max_code_attempts = 10;
    std::chrono::seconds failure_window = std::chrono::hours(1);
};

// What the domain's routes and commands share: the sections, the clock and the random source
// (both injected by tests).
struct RosterDeps {
    RosterConfig config;
    PointsRules points;
    ActivityConfig activities;  // scene_secret always set (module.cpp derives it when empty)
    AssessmentRules assessment;
    // checkin_rules_arg(points): the check-in's points rules as the store reads them, made once
    // at start (module.cpp) rather than for every tap.
    std::string checkin_rules;
    std::shared_ptr<server::Clock const> clock = std::make_shared<server::SystemClock const>();
    server::RandomBytes random = &server::system_random_bytes;
};

// Fills `out` from the section; the secret is required.
void read_roster_config(server::JsonObjectReader& r, RosterConfig& out);

}  // namespace bense::handlers

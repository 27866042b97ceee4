// Configuration of activities and check-in: the "activities" section (every key optional).
#pragma once

#include "server/json.hpp"

#include <chrono>
#include <string>

namespace bense::handlers {

struct ActivityConfig {
    // The 4-digit code changes this often; the previous one is still taken for `code_grace`
    // after a change, so that a member typing slowly is not turned away.
    std::chrono::seconds code_period{300};
    std::chrono::seconds code_grace{60};
    // Defaults of a new activity's check-in window around its start and end.
    std::chrono::seconds opens_before{std::chrono::minutes(60)};
    std::chrono::seconds closes_after{std::chrono::minutes(60)};
    // Wrong codes a member may type per hour before being asked to wait (10 000 codes exist).
    int max_code_failures = 10;
    // Key of the signature in scanned mini-program codes; when empty it is derived from the
    // roster's secret at start (module.cpp), so a plain deployment has nothing more to set.
    std::string scene_secret;
};

void read_activity_config(server::JsonObjectReader& r, ActivityConfig& out);

}  // namespace bense::handlers

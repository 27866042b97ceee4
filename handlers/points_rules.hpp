// The learning-points rules (config/points.jsonc): what each action is worth, its caps and
// whether it needs a secretary's confirmation or a reason; and the Beijing-time day and year
// the caps are counted in. Pure functions except load_points_rules, which reads the file.
#pragma once

#include "server/net.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

struct PointsRule {
    std::string action;               // ASCII id, [a-z_.]+, unique: "checkin.party_day"
    std::string name;                 // shown to members: "主题党日"
    int points = 0;                   // -100..100; negative only for manual.* rules
    bool amount_from_caller = false;  // manual.* only: the caller gives the amount (points is 0)
    int daily_cap = 0;                // points per Beijing-time day; 0 = no cap
    int yearly_cap = 0;               // points per Beijing-time year; 0 = no cap
    bool needs_confirmation = false;  // pending until the branch secretary confirms
    bool reason_required = false;     // the action must carry a written reason
};

struct PointsRules {
    int version = 1;
    std::vector<PointsRule> rules;
    // The rule for `action`, or nullptr.
    PointsRule const* find(std::string_view action) const;
};

// Parses and checks the rules file's text; the error names the JSON path of the first problem.
result<PointsRules, std::string> parse_points_rules(std::string_view jsonc_text);
// Reads and parses the file at `path`; the error starts with the path.
result<PointsRules, std::string> load_points_rules(std::string const& path);

// The Beijing-time (UTC+8, no DST) calendar day of a Unix time, "YYYY-MM-DD".
std::string beijing_day(std::int64_t unix_seconds);
// The Beijing-time calendar year of a Unix time.
int beijing_year(std::int64_t unix_seconds);

}  // namespace bense::handlers

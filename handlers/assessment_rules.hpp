// The branch half-year assessment rules (config/assessment.jsonc): which activities a branch
// must hold and how often, what each part of the score weighs and the tier thresholds; and
// the Beijing-time half-years and months the assessment counts in. Pure functions except
// load_assessment_rules, which reads the file. Online time, vote counts and app usage are
// never inputs (国办函〔2026〕12号), so nothing here can name them.
#pragma once

#include "server/net.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

enum class Period { month, quarter, half_year };

// An activity type that must be held on schedule.
struct ScheduleRule {
    std::string type;              // activity type code, unique: "party_day"
    std::string name;              // shown to branches: "主题党日"
    Period every = Period::month;  // 6 months, 2 quarters or 1 half-year in a half
    int count = 1;                 // 1..31 activities of the type needed per period
    int weight = 0;                // 0..100
};

// 党员参与率: check-ins over expected seats.
struct ParticipationRule {
    std::string name;
    int weight = 0;  // 0..100
};

// A count that reaches its target (lectures published, care ledger entries).
struct TargetRule {
    std::string name;
    int target = 1;  // 1..1000
    int weight = 0;  // 0..100
};

struct TierRule {
    std::string tier;   // "standard", "advanced" or "strong"
    std::string name;   // "规范化支部"
    int min_score = 0;  // 0..100
};

struct AssessmentRules {
    int version = 1;
    std::vector<ScheduleRule> schedule;
    ParticipationRule participation;
    TargetRule lectures;
    TargetRule care;
    // Exactly standard, advanced, strong in that order, min_score strictly ascending; the
    // index is the tier's rank.
    std::vector<TierRule> tiers;
    // The tier with code `tier`, or nullptr.
    TierRule const* find_tier(std::string_view tier) const;
};

// True for the activity type codes the project uses (party_day, general_meeting, committee,
// group_meeting, party_lecture, life_meeting, member_day, silver_lecture, volunteer,
// community, other).
bool is_activity_type(std::string_view code);

// Parses and checks the rules file's text; the error names the JSON path of the first problem.
result<AssessmentRules, std::string> parse_assessment_rules(std::string_view jsonc_text);
// Reads and parses the file at `path`; the error starts with the path.
result<AssessmentRules, std::string> load_assessment_rules(std::string const& path);

// A half of a Beijing-time calendar year: H1 = January..June, H2 = July..December.
struct HalfYear {
    int year = 1970;
    int half = 1;  // 1 or 2

    // "2026H2"
    std::string label() const;
    // Unix seconds of the half's first second in Beijing time (UTC+8, no DST).
    std::int64_t start() const;
    // Unix seconds of the next half's first second: the half is [start(), end()).
    std::int64_t end() const;
    // The half's first Beijing month: 1 or 7.
    int first_month() const { return half == 1 ? 1 : 7; }
    bool contains(std::int64_t unix_seconds) const {
        return unix_seconds >= start() && unix_seconds < end();
    }
    friend bool operator==(HalfYear const&, HalfYear const&) = default;
};

// "2026H1", "2026h2" or "2026-H2" (a four-digit year 1970..9999); nullopt for anything else,
// spaces included.
std::optional<HalfYear> parse_half_year(std::string_view text);
// The Beijing-time half-year a Unix time falls in.
HalfYear half_year_of(std::int64_t unix_seconds);
// The Beijing-time calendar month of a Unix time, 1..12.
int beijing_month(std::int64_t unix_seconds);

}  // namespace bense::handlers

// The branch half-year assessment (积分制考核), pure part: a branch's facts for one half-year
// in, its score with every part and the tiers it reaches out; and the same as JSON and as CSV
// for Excel. Reads no store and no clock. Online time, vote counts and app usage are never
// facts here (国办函〔2026〕12号).
#pragma once

#include "handlers/assessment_rules.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bense::handlers {

// An activity held in the half (not cancelled, already started): its type code and Beijing
// month 1..12.
struct HeldActivity {
    std::string type;
    int month = 0;
};

struct BranchFacts {
    std::string branch;
    std::string branch_name;
    std::string current_tier;  // "" (none yet), "standard", "advanced" or "strong"
    std::vector<HeldActivity> held;
    // Over the held activities: members expected, minus those on leave.
    long long expected_seats = 0;
    long long attended = 0;  // check-ins (in person or by proxy) at those activities
    int lectures_published = 0;
    // nullopt: the care ledger does not exist yet, so that part is unavailable and left out
    // of the score.
    std::optional<int> care_entries;
};

struct AssessmentPart {
    std::string part;  // "schedule.party_day", "participation", "lectures", "care"
    std::string name;  // from the rules: "主题党日"
    int weight = 0;
    double achieved = 0;  // periods held on schedule, check-ins, lectures, ledger entries
    double expected = 0;  // periods in the half, seats, target
    double ratio = 0;     // achieved / expected in 0..1; 0 when expected is 0 or unavailable
    double points = 0;    // weight * ratio
    bool available = true;
};

struct Assessment {
    std::string branch;
    std::string branch_name;
    HalfYear half;
    // 0..100, one decimal: sum(points) / sum(weights of available parts) * 100.
    double score = 0;
    std::vector<AssessmentPart> parts;  // schedule in rules order, participation, lectures, care
    std::string tier_by_score;          // highest tier whose min_score <= score; "" below standard
    std::string qualifies_for;          // see assess
    std::string tier_by_score_name;     // the tiers' names from the rules ("" for ""), for people
    std::string qualifies_for_name;
};

// Scores `facts` for `half` under `rules`.
// Schedule parts: a period (month, quarter or the half) is held on schedule when at least
// `count` activities of the type were held in its months; held activities outside the half
// are ignored. Participation: attended / expected_seats. Lectures and care: count / target,
// at most 1. The score is rounded before the tiers are read from it, so a branch shown 80.0
// is an advanced branch. Tiers are earned step by step (规范化 → 先进 → 过硬): qualifies_for is
// the lower of tier_by_score and the tier just above current_tier (an unknown current_tier
// counts as none), and "" when the score reaches no tier. A branch whose score fell below its
// current tier qualifies for the lower tier only.
Assessment assess(AssessmentRules const& rules, HalfYear const& half, BranchFacts const& facts);

// {"branch","branch_name","half":"2026H2","score","tier_by_score","qualifies_for",
//  "parts":[{"part","name","weight","achieved","expected","ratio","points","available"}]}
std::string assessment_json(Assessment const& a);

// A UTF-8 CSV with BOM for Excel: a Chinese header (支部编号, 支部名称, 半年, 总分, 按分数等级,
// 可评等级, then "<part name>得分" for every part in order of first appearance) and one row per
// branch. Scores and points have one decimal; tiers show their names; an unavailable part's
// cell is empty.
std::string assessment_csv(std::vector<Assessment> const& assessments);

}  // namespace bense::handlers

// The branch half-year assessment: one branch computed by hand part by part, the tiers and
// the step-by-step rule, empty inputs, and the JSON and CSV a branch and its secretary see.
#include "handlers/assessment.hpp"

#include "server/json.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace bense::handlers;

namespace {

// The shipped config/assessment.jsonc as of writing, inline so that tuning the shipped
// weights does not change the arithmetic below.
constexpr std::string_view kRules = R"({
    "version": 1,
    "schedule": [
        {"type": "party_day", "name": "主题党日", "every": "month", "count": 1, "weight": 30},
        {"type": "general_meeting", "name": "支部党员大会", "every": "quarter", "count": 1, "weight": 10},
        {"type": "committee", "name": "支委会", "every": "month", "count": 1, "weight": 10},
        {"type": "group_meeting", "name": "党小组会", "every": "month", "count": 1, "weight": 5},
        {"type": "party_lecture", "name": "党课", "every": "quarter", "count": 1, "weight": 10}
    ],
    "participation": {"name": "党员参与率", "weight": 20},
    "lectures": {"name": "发布微党课", "target": 3, "weight": 10},
    "care": {"name": "帮扶台账", "target": 6, "weight": 5},
    "tiers": [
        {"tier": "standard", "name": "规范化支部", "min_score": 60},
        {"tier": "advanced", "name": "先进支部", "min_score": 80},
        {"tier": "strong", "name": "过硬支部", "min_score": 90}
    ]
})";

AssessmentRules rules_from(std::string_view text) {
    auto r = parse_assessment_rules(text);
    INFO((r ? std::string() : r.error()));
    REQUIRE(r.has_value());
    return *r;
}

// Rules where only participation weighs, so the score is attended / seats * 100.
AssessmentRules participation_only() {
    return rules_from(R"({"version": 1, "schedule": [],
        "participation": {"name": "党员参与率", "weight": 20},
        "lectures": {"name": "发布微党课", "target": 3, "weight": 0},
        "care": {"name": "帮扶台账", "target": 6, "weight": 0},
        "tiers": [{"tier": "standard", "name": "规范化支部", "min_score": 60},
                  {"tier": "advanced", "name": "先进支部", "min_score": 80},
                  {"tier": "strong", "name": "过硬支部", "min_score": 90}]})");
}

HalfYear const k2026H2{2026, 2};

// The hand-computed branch of 2026H2 (months 7..12).
BranchFacts example_branch() {
    BranchFacts f;
    f.branch = "zz-001";
    f.branch_name = "市直机关第一离退休干部党支部";
    f.current_tier = "";
    // 主题党日 in every month but October, twice in July (still one month).
    for (int m : {7, 7, 8, 9, 11, 12}) {
        f.held.push_back({"party_day", m});
    }
    f.held.push_back({"general_meeting", 8});  // Q3 only
    for (int m = 7; m <= 12; ++m) {
        f.held.push_back({"committee", m});
    }
    for (int m : {7, 9, 11}) {
        f.held.push_back({"group_meeting", m});
    }
    f.held.push_back({"party_lecture", 9});   // Q3
    f.held.push_back({"party_lecture", 12});  // Q4
    // Not in the schedule, or outside the half: they change nothing.
    f.held.push_back({"silver_lecture", 8});
    f.held.push_back({"volunteer", 10});
    f.held.push_back({"party_day", 3});
    f.held.push_back({"general_meeting", 1});
    f.expected_seats = 60;
    f.attended = 45;
    f.lectures_published = 2;
    f.care_entries = std::nullopt;
    return f;
}

void check_part(AssessmentPart const& p, std::string_view part, std::string_view name, int weight,
                double achieved, double expected, double ratio, double points,
                bool available = true) {
    INFO(part);
    CHECK(p.part == part);
    CHECK(p.name == name);
    CHECK(p.weight == weight);
    CHECK(p.achieved == Approx(achieved));
    CHECK(p.expected == Approx(expected));
    CHECK(p.ratio == Approx(ratio));
    CHECK(p.points == Approx(points));
    CHECK(p.available == available);
}

Assessment with_participation(std::string current_tier, long long attended, long long seats) {
    BranchFacts f;
    f.branch = "b";
    f.current_tier = std::move(current_tier);
    f.attended = attended;
    f.expected_seats = seats;
    return assess(participation_only(), k2026H2, f);
}

}  // namespace

TEST_CASE("assess: a branch computed by hand", "[assessment]") {
    auto const a = assess(rules_from(kRules), k2026H2, example_branch());
    CHECK(a.branch == "zz-001");
    CHECK(a.branch_name == "市直机关第一离退休干部党支部");
    CHECK(a.half == k2026H2);
    REQUIRE(a.parts.size() == 8);
    //                      part                      weight achieved/expected ratio   points
    // 主题党日 monthly:     5 of 6 months (no Oct)    30      5/6            0.8333  25
    // 支部党员大会 quarterly: Q3 only                 10      1/2            0.5      5
    // 支委会 monthly:       all 6                     10      6/6            1       10
    // 党小组会 monthly:     Jul, Sep, Nov             5       3/6            0.5      2.5
    // 党课 quarterly:       Sep (Q3) and Dec (Q4)     10      2/2            1       10
    // 党员参与率:           45 of 60 seats            20      45/60          0.75    15
    // 发布微党课:           2 of target 3             10      2/3            0.6667   6.6667
    // 帮扶台账:             ledger not there yet      (5)     unavailable: left out
    // points 25 + 5 + 10 + 2.5 + 10 + 15 + 6.6667 = 74.1667 over weights 95 (100 less care's 5)
    // score 74.1667 / 95 * 100 = 78.0702 -> 78.1
    check_part(a.parts[0], "schedule.party_day", "主题党日", 30, 5, 6, 5.0 / 6, 25);
    check_part(a.parts[1], "schedule.general_meeting", "支部党员大会", 10, 1, 2, 0.5, 5);
    check_part(a.parts[2], "schedule.committee", "支委会", 10, 6, 6, 1, 10);
    check_part(a.parts[3], "schedule.group_meeting", "党小组会", 5, 3, 6, 0.5, 2.5);
    check_part(a.parts[4], "schedule.party_lecture", "党课", 10, 2, 2, 1, 10);
    check_part(a.parts[5], "participation", "党员参与率", 20, 45, 60, 0.75, 15);
    check_part(a.parts[6], "lectures", "发布微党课", 10, 2, 3, 2.0 / 3, 20.0 / 3);
    check_part(a.parts[7], "care", "帮扶台账", 5, 0, 6, 0, 0, false);
    CHECK(a.score == Approx(78.1));
    // 78.1 reaches 规范化 (60) but not 先进 (80); a branch with no tier may take the first step.
    CHECK(a.tier_by_score == "standard");
    CHECK(a.qualifies_for == "standard");
    CHECK(a.tier_by_score_name == "规范化支部");
    CHECK(a.qualifies_for_name == "规范化支部");
}

TEST_CASE("assess: the care ledger counts once it exists, capped at its target", "[assessment]") {
    auto facts = example_branch();
    // 3 of 6 entries: 5 * 0.5 = 2.5 more points over all 100 weights: 76.6667 -> 76.7.
    facts.care_entries = 3;
    auto a = assess(rules_from(kRules), k2026H2, facts);
    check_part(a.parts[7], "care", "帮扶台账", 5, 3, 6, 0.5, 2.5);
    CHECK(a.score == Approx(76.7));
    // 9 entries are worth no more than 6: 74.1667 + 5 = 79.1667 -> 79.2, still below 80.
    facts.care_entries = 9;
    a = assess(rules_from(kRules), k2026H2, facts);
    check_part(a.parts[7], "care", "帮扶台账", 5, 9, 6, 1, 5);
    CHECK(a.score == Approx(79.2));
    CHECK(a.tier_by_score == "standard");
    // An empty ledger is a real 0 of 5 points: 74.1667 / 100 -> 74.2.
    facts.care_entries = 0;
    a = assess(rules_from(kRules), k2026H2, facts);
    check_part(a.parts[7], "care", "帮扶台账", 5, 0, 6, 0, 0, true);
    CHECK(a.score == Approx(74.2));
}

TEST_CASE("assess: zero seats and an empty half", "[assessment]") {
    auto facts = example_branch();
    // No seats: participation is 0 of its 20 and still counted: 59.1667 / 95 -> 62.3.
    facts.expected_seats = 0;
    facts.attended = 0;
    auto a = assess(rules_from(kRules), k2026H2, facts);
    check_part(a.parts[5], "participation", "党员参与率", 20, 0, 0, 0, 0);
    CHECK(a.score == Approx(62.3));

    // Check-ins beyond the seats (proxies counted twice, say) cap at 1.
    facts.expected_seats = 10;
    facts.attended = 12;
    a = assess(rules_from(kRules), k2026H2, facts);
    check_part(a.parts[5], "participation", "党员参与率", 20, 12, 10, 1, 20);

    // Nothing at all: every available part 0, score 0, no tier.
    BranchFacts none;
    none.current_tier = "advanced";
    a = assess(rules_from(kRules), HalfYear{2026, 1}, none);
    CHECK(a.score == 0);
    CHECK(a.tier_by_score.empty());
    CHECK(a.qualifies_for.empty());
    CHECK(a.qualifies_for_name.empty());
    for (auto const& p : a.parts) {
        CHECK(p.points == 0);
    }

    // Assessed for H1, only the few activities of the branch in H1's months count.
    a = assess(rules_from(kRules), HalfYear{2026, 1}, example_branch());
    CHECK(a.parts[0].achieved == 1);  // March's 主题党日 only
    CHECK(a.parts[1].achieved == 1);  // January's 支部党员大会, Q1
    CHECK(a.parts[2].achieved == 0);

    // Only care weighs, and the ledger is not there: nothing to divide by, score 0.
    auto const care_only = rules_from(R"({"version": 1, "schedule": [],
        "participation": {"name": "党员参与率", "weight": 0},
        "lectures": {"name": "发布微党课", "target": 3, "weight": 0},
        "care": {"name": "帮扶台账", "target": 6, "weight": 5},
        "tiers": [{"tier": "standard", "name": "规范化支部", "min_score": 0},
                  {"tier": "advanced", "name": "先进支部", "min_score": 80},
                  {"tier": "strong", "name": "过硬支部", "min_score": 90}]})");
    a = assess(care_only, k2026H2, example_branch());
    CHECK(a.score == 0);
    CHECK(a.tier_by_score == "standard");
}

TEST_CASE("assess: a period needs `count` activities", "[assessment]") {
    auto const rules = rules_from(R"({"version": 1,
        "schedule": [{"type": "party_day", "name": "主题党日", "every": "month", "count": 2, "weight": 10},
                     {"type": "member_day", "name": "党员活动日", "every": "half_year", "count": 3, "weight": 10}],
        "participation": {"name": "党员参与率", "weight": 0},
        "lectures": {"name": "发布微党课", "target": 3, "weight": 0},
        "care": {"name": "帮扶台账", "target": 6, "weight": 0},
        "tiers": [{"tier": "standard", "name": "规范化支部", "min_score": 60},
                  {"tier": "advanced", "name": "先进支部", "min_score": 80},
                  {"tier": "strong", "name": "过硬支部", "min_score": 90}]})");
    BranchFacts f;
    // Two 主题党日 in January and March, one in February: 2 of 6 months.
    for (int m : {1, 1, 2, 3, 3}) {
        f.held.push_back({"party_day", m});
    }
    // Three 党员活动日 across the half: the one half-year period is held.
    for (int m : {2, 4, 6}) {
        f.held.push_back({"member_day", m});
    }
    auto const a = assess(rules, HalfYear{2026, 1}, f);
    check_part(a.parts[0], "schedule.party_day", "主题党日", 10, 2, 6, 1.0 / 3, 10.0 / 3);
    check_part(a.parts[1], "schedule.member_day", "党员活动日", 10, 1, 1, 1, 10);
    // (3.3333 + 10) / 20 * 100 = 66.6667 -> 66.7
    CHECK(a.score == Approx(66.7));
}

TEST_CASE("assess: tiers by score and the step-by-step rule", "[assessment]") {
    struct Case {
        std::string current;
        long long attended;
        long long seats;
        double score;
        std::string by_score;
        std::string qualifies;
    };
    for (auto const& c : std::vector<Case>{
             // Tiers are earned step by step (规范化 → 先进 → 过硬): a 95 with no tier is 规范化.
             {"", 95, 100, 95.0, "strong", "standard"},
             {"standard", 95, 100, 95.0, "strong", "advanced"},
             {"advanced", 95, 100, 95.0, "strong", "strong"},
             {"strong", 95, 100, 95.0, "strong", "strong"},
             {"standard", 85, 100, 85.0, "advanced", "advanced"},
             {"", 85, 100, 85.0, "advanced", "standard"},
             // A score below the tier held qualifies for the lower tier only.
             {"strong", 85, 100, 85.0, "advanced", "advanced"},
             {"advanced", 70, 100, 70.0, "standard", "standard"},
             {"strong", 59, 100, 59.0, "", ""},
             {"", 599, 1000, 59.9, "", ""},
             // Exactly at each threshold.
             {"", 60, 100, 60.0, "standard", "standard"},
             {"standard", 80, 100, 80.0, "advanced", "advanced"},
             {"advanced", 90, 100, 90.0, "strong", "strong"},
             {"standard", 799, 1000, 79.9, "standard", "standard"},
             // 79.955 is shown as 80.0, and 80.0 is 先进: the tier is read from the rounded score.
             {"standard", 15991, 20000, 80.0, "advanced", "advanced"},
             // An unknown tier held counts as none.
             {"gold", 95, 100, 95.0, "strong", "standard"},
         }) {
        INFO(c.current << " " << c.attended << "/" << c.seats);
        auto const a = with_participation(c.current, c.attended, c.seats);
        CHECK(a.score == Approx(c.score));
        CHECK(a.tier_by_score == c.by_score);
        CHECK(a.qualifies_for == c.qualifies);
    }
    auto const a = with_participation("standard", 95, 100);
    CHECK(a.tier_by_score_name == "过硬支部");
    CHECK(a.qualifies_for_name == "先进支部");
}

TEST_CASE("assessment_json: every key, parts in order", "[assessment]") {
    auto const text = assessment_json(assess(rules_from(kRules), k2026H2, example_branch()));
    auto const doc = bense::server::parse_json(text);
    REQUIRE(doc.has_value());
    auto const& d = *doc;
    CHECK(std::string(d["branch"].GetString()) == "zz-001");
    CHECK(std::string(d["branch_name"].GetString()) == "市直机关第一离退休干部党支部");
    CHECK(std::string(d["half"].GetString()) == "2026H2");
    CHECK(d["score"].GetDouble() == Approx(78.1));
    CHECK(std::string(d["tier_by_score"].GetString()) == "standard");
    CHECK(std::string(d["qualifies_for"].GetString()) == "standard");
    CHECK(d.MemberCount() == 7);
    auto const& parts = d["parts"];
    REQUIRE(parts.Size() == 8);
    auto const& first = parts[0];
    CHECK(first.MemberCount() == 8);
    CHECK(std::string(first["part"].GetString()) == "schedule.party_day");
    CHECK(std::string(first["name"].GetString()) == "主题党日");
    CHECK(first["weight"].GetInt() == 30);
    CHECK(first["achieved"].GetDouble() == 5);
    CHECK(first["expected"].GetDouble() == 6);
    CHECK(first["ratio"].GetDouble() == Approx(5.0 / 6));
    CHECK(first["points"].GetDouble() == Approx(25));
    CHECK(first["available"].GetBool());
    CHECK(std::string(parts[7]["part"].GetString()) == "care");
    CHECK_FALSE(parts[7]["available"].GetBool());
    CHECK(parts[7]["points"].GetDouble() == 0);
}

TEST_CASE("assessment_csv: Chinese header, one row per branch, tiers by name", "[assessment]") {
    auto const rules = rules_from(kRules);
    auto low = example_branch();
    low.branch = "zz-002";
    low.branch_name = "峄城区\"银发\"党支部";
    low.held.clear();
    low.attended = 10;
    low.care_entries = 2;
    auto const csv =
        assessment_csv({assess(rules, k2026H2, example_branch()), assess(rules, k2026H2, low)});
    // zz-002: participation 20 * 10/60 = 3.3333, lectures 6.6667, care 5 * 2/6 = 1.6667;
    // 11.6667 / 100 -> 11.7, below every tier.
    CHECK(
        csv ==
        "\xEF\xBB\xBF"
        "支部编号,支部名称,半年,总分,按分数等级,可评等级,主题党日得分,支部党员大会得分,支委会得分,"
        "党小组会得分,党课得分,党员参与率得分,发布微党课得分,帮扶台账得分\r\n"
        "zz-001,市直机关第一离退休干部党支部,2026H2,78.1,规范化支部,规范化支部,25.0,5.0,10.0,2.5,"
        "10.0,15.0,6.7,\r\n"
        "zz-002,\"峄城区\"\"银发\"\"党支部\",2026H2,11.7,,,0.0,0.0,0.0,0.0,0.0,3.3,6.7,1.7\r\n");

    CHECK(assessment_csv({}) ==
          "\xEF\xBB\xBF"
          "支部编号,支部名称,半年,总分,按分数等级,可评等级\r\n");
}

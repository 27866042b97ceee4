// See assessment.hpp. Every part is built the same way (achieved over expected, capped, times
// the weight) so a branch can check its score by hand from the parts it is shown.
#include "handlers/assessment.hpp"

#include "handlers/csv_writer.hpp"
#include "server/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace bense::handlers {
namespace {

int months_per_period(Period p) {
    switch (p) {
        case Period::month:
            return 1;
        case Period::quarter:
            return 3;
        case Period::half_year:
            return 6;
    }
    return 6;
}

AssessmentPart make_part(std::string part, std::string name, int weight, double achieved,
                         double expected, bool available) {
    AssessmentPart p{std::move(part), std::move(name), weight, achieved, expected, 0, 0, available};
    if (available && expected > 0) {
        p.ratio = std::clamp(achieved / expected, 0.0, 1.0);
    }
    p.points = weight * p.ratio;
    return p;
}

// Periods of the half in which `rule.type` was held at least `rule.count` times.
AssessmentPart schedule_part(ScheduleRule const& rule, HalfYear const& half,
                             std::vector<HeldActivity> const& held) {
    int const length = months_per_period(rule.every);
    int const periods = 6 / length;
    int fulfilled = 0;
    for (int p = 0; p < periods; ++p) {
        int const first = half.first_month() + p * length;
        auto const n = std::count_if(held.begin(), held.end(), [&](HeldActivity const& a) {
            return a.type == rule.type && a.month >= first && a.month < first + length;
        });
        if (n >= rule.count) {
            ++fulfilled;
        }
    }
    return make_part("schedule." + rule.type, rule.name, rule.weight, fulfilled, periods, true);
}

// The tier's rank (its index in rules.tiers), or -1 for "" and unknown codes.
int rank_of(AssessmentRules const& rules, std::string_view tier) {
    auto const* t = rules.find_tier(tier);
    return t == nullptr ? -1 : static_cast<int>(t - rules.tiers.data());
}

std::string_view tier_name(AssessmentRules const& rules, std::string_view tier) {
    auto const* t = rules.find_tier(tier);
    return t == nullptr ? std::string_view() : std::string_view(t->name);
}

void set_tiers(AssessmentRules const& rules, std::string_view current_tier, Assessment& a) {
    int by_score = -1;
    for (std::size_t i = 0; i < rules.tiers.size(); ++i) {
        if (a.score >= rules.tiers[i].min_score) {
            by_score = static_cast<int>(i);
        }
    }
    if (by_score < 0) {
        return;
    }
    a.tier_by_score = rules.tiers[by_score].tier;
    // Step by step: at most one tier above the one held, never above what the score reaches.
    int const top = static_cast<int>(rules.tiers.size()) - 1;
    int const next = std::min(rank_of(rules, current_tier) + 1, top);
    a.qualifies_for = rules.tiers[std::min(by_score, next)].tier;
    a.tier_by_score_name = tier_name(rules, a.tier_by_score);
    a.qualifies_for_name = tier_name(rules, a.qualifies_for);
}

std::string one_decimal(double v) { return fmt::format("{:.1f}", v); }

}  // namespace

Assessment assess(AssessmentRules const& rules, HalfYear const& half, BranchFacts const& facts) {
    Assessment a;
    a.branch = facts.branch;
    a.branch_name = facts.branch_name;
    a.half = half;
    for (auto const& rule : rules.schedule) {
        a.parts.push_back(schedule_part(rule, half, facts.held));
    }
    a.parts.push_back(make_part("participation", rules.participation.name,
                                rules.participation.weight, static_cast<double>(facts.attended),
                                static_cast<double>(facts.expected_seats), true));
    a.parts.push_back(make_part("lectures", rules.lectures.name, rules.lectures.weight,
                                facts.lectures_published, rules.lectures.target, true));
    a.parts.push_back(make_part("care", rules.care.name, rules.care.weight,
                                facts.care_entries.value_or(0), rules.care.target,
                                facts.care_entries.has_value()));

    double points = 0;
    int weights = 0;
    for (auto const& p : a.parts) {
        if (p.available) {
            points += p.points;
            weights += p.weight;
        }
    }
    // The loader refuses rules without any weight, but every available part may weigh 0.
    a.score = weights > 0 ? std::round(points / weights * 1000.0) / 10.0 : 0.0;
    set_tiers(rules, facts.current_tier, a);
    return a;
}

std::string assessment_json(Assessment const& a) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    for (auto [k, v] : {std::pair<char const*, std::string>{"branch", a.branch},
                        {"branch_name", a.branch_name},
                        {"half", a.half.label()}}) {
        server::write_key(w, k);
        server::write_string(w, v);
    }
    server::write_key(w, "score");
    w.Double(a.score);
    server::write_key(w, "tier_by_score");
    server::write_string(w, a.tier_by_score);
    server::write_key(w, "qualifies_for");
    server::write_string(w, a.qualifies_for);
    server::write_key(w, "parts");
    w.StartArray();
    for (auto const& p : a.parts) {
        w.StartObject();
        server::write_key(w, "part");
        server::write_string(w, p.part);
        server::write_key(w, "name");
        server::write_string(w, p.name);
        server::write_key(w, "weight");
        w.Int(p.weight);
        for (auto [k, v] : {std::pair<char const*, double>{"achieved", p.achieved},
                            {"expected", p.expected},
                            {"ratio", p.ratio},
                            {"points", p.points}}) {
            server::write_key(w, k);
            w.Double(v);
        }
        server::write_key(w, "available");
        w.Bool(p.available);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

std::string assessment_csv(std::vector<Assessment> const& assessments) {
    // Part columns in order of first appearance, so rules that changed between rows still
    // line up by part id.
    std::vector<std::pair<std::string, std::string>> columns;  // part id, header
    for (auto const& a : assessments) {
        for (auto const& p : a.parts) {
            if (std::none_of(columns.begin(), columns.end(),
                             [&](auto const& c) { return c.first == p.part; })) {
                columns.emplace_back(p.part, p.name + "得分");
            }
        }
    }
    std::string out = csv_bom();
    std::vector<std::string> row{"支部编号", "支部名称", "半年", "总分", "按分数等级", "可评等级"};
    for (auto const& c : columns) {
        row.push_back(c.second);
    }
    append_csv_row(out, row);
    for (auto const& a : assessments) {
        row = {a.branch,
               a.branch_name,
               a.half.label(),
               one_decimal(a.score),
               a.tier_by_score_name,
               a.qualifies_for_name};
        for (auto const& c : columns) {
            auto it = std::find_if(a.parts.begin(), a.parts.end(),
                                   [&](auto const& p) { return p.part == c.first; });
            row.push_back(it == a.parts.end() || !it->available ? std::string()
                                                                : one_decimal(it->points));
        }
        append_csv_row(out, row);
    }
    return out;
}

}  // namespace bense::handlers

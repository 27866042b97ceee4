// See assessment_rules.hpp. The loader reads each section with a strict JsonObjectReader, so
// every error names its JSON path; the checks that span entries (unique types, tier order)
// run after each entry has been read on its own.
#include "handlers/assessment_rules.hpp"

#include "handlers/text_fields.hpp"
#include "server/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace bense::handlers {
namespace {

constexpr std::size_t kMaxNameCharacters = 32;
constexpr std::array<std::string_view, 11> kActivityTypes{
    "party_day",  "general_meeting", "committee", "group_meeting", "party_lecture", "life_meeting",
    "member_day", "silver_lecture",  "volunteer", "community",     "other"};
// The tier codes in rank order; the programme names them 规范化 → 先进 → 过硬.
constexpr std::array<std::string_view, 3> kTierCodes{"standard", "advanced", "strong"};
constexpr std::chrono::hours kBeijingOffset{8};

// Records "<path>: required" when `key` is absent; the caller then reads it as usual.
void require(server::JsonObjectReader& r, std::string_view key) {
    if (r.member(key) == nullptr) {
        r.fail(r.path_of(key) + ": required");
    }
}

void require_all(server::JsonObjectReader& r, std::initializer_list<std::string_view> keys) {
    for (auto key : keys) {
        require(r, key);
    }
}

void read_name(server::JsonObjectReader& r, std::string& out) {
    r.read("name", out);
    if (r.ok()) {
        if (auto const n = count_characters(out); n < 1 || n > kMaxNameCharacters) {
            r.fail(r.path_of("name") + ": expected 1..32 characters");
        }
    }
}

std::optional<Period> period_of(std::string_view s) {
    if (s == "month") {
        return Period::month;
    }
    if (s == "quarter") {
        return Period::quarter;
    }
    if (s == "half_year") {
        return Period::half_year;
    }
    return std::nullopt;
}

void read_schedule_rule(server::JsonObjectReader& r, ScheduleRule& out) {
    require_all(r, {"type", "name", "every", "count", "weight"});
    std::string every;
    r.read("type", out.type);
    r.read("every", every);
    r.read("count", out.count, 1, 31);
    r.read("weight", out.weight, 0, 100);
    read_name(r, out.name);
    r.finish();
    if (!r.ok()) {
        return;
    }
    if (!is_activity_type(out.type)) {
        return r.fail(fmt::format("{}: expected one of {}", r.path_of("type"),
                                  fmt::join(kActivityTypes, ", ")));
    }
    auto const period = period_of(every);
    if (!period) {
        return r.fail(r.path_of("every") + ": expected month, quarter or half_year");
    }
    out.every = *period;
}

// Reads an object section such as "/participation" from `top`; `read` fills it.
template <class Read>
void read_section(server::JsonObjectReader& top, std::string_view key, Read&& read) {
    auto const* v = top.member(key);
    if (v == nullptr || !top.ok()) {
        return;
    }
    server::JsonObjectReader r(*v, top.path_of(key));
    read(r);
    r.finish();
    if (!r.ok()) {
        top.fail(r.error());
    }
}

void read_target(server::JsonObjectReader& r, TargetRule& out) {
    require_all(r, {"name", "target", "weight"});
    r.read("target", out.target, 1, 1000);
    r.read("weight", out.weight, 0, 100);
    read_name(r, out.name);
}

result<std::vector<ScheduleRule>, std::string> read_schedule(rapidjson::Value const& v,
                                                             std::string const& path) {
    if (!v.IsArray()) {
        return path + ": expected an array";
    }
    std::vector<ScheduleRule> out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        server::JsonObjectReader r(v[i], fmt::format("{}/{}", path, i));
        ScheduleRule rule;
        read_schedule_rule(r, rule);
        if (!r.ok()) {
            return r.error();
        }
        if (std::any_of(out.begin(), out.end(),
                        [&](ScheduleRule const& s) { return s.type == rule.type; })) {
            return r.path_of("type") + ": duplicate " + rule.type;
        }
        out.push_back(std::move(rule));
    }
    return out;
}

result<std::vector<TierRule>, std::string> read_tiers(rapidjson::Value const& v,
                                                      std::string const& path) {
    if (!v.IsArray() || v.Size() != kTierCodes.size()) {
        return path + ": expected 3 tiers: standard, advanced, strong";
    }
    std::vector<TierRule> out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        server::JsonObjectReader r(v[i], fmt::format("{}/{}", path, i));
        TierRule tier;
        require_all(r, {"tier", "name", "min_score"});
        r.read("tier", tier.tier);
        r.read("min_score", tier.min_score, 0, 100);
        read_name(r, tier.name);
        r.finish();
        if (!r.ok()) {
            return r.error();
        }
        if (tier.tier != kTierCodes[i]) {
            return r.path_of("tier") + ": expected " + std::string(kTierCodes[i]);
        }
        // Strictly ascending, so that each step up the ladder asks for more.
        if (i > 0 && tier.min_score <= out.back().min_score) {
            return fmt::format("{}: expected more than {} (the {} tier's)", r.path_of("min_score"),
                               out.back().min_score, out.back().tier);
        }
        out.push_back(std::move(tier));
    }
    return out;
}

int total_weight(AssessmentRules const& rules) {
    int total = rules.participation.weight + rules.lectures.weight + rules.care.weight;
    for (auto const& s : rules.schedule) {
        total += s.weight;
    }
    return total;
}

std::chrono::sys_days beijing_sys_day(std::int64_t unix_seconds) {
    using namespace std::chrono;
    return floor<days>(sys_seconds{seconds{unix_seconds}} + kBeijingOffset);
}

// Unix seconds of Beijing midnight on the first of `month` (1..12) in `year`.
std::int64_t beijing_month_start(int year, int month) {
    using namespace std::chrono;
    sys_seconds const midnight_utc{sys_days{std::chrono::year{year} / month / 1}};
    return (midnight_utc - kBeijingOffset).time_since_epoch().count();
}

}  // namespace

bool is_activity_type(std::string_view code) {
    return std::find(kActivityTypes.begin(), kActivityTypes.end(), code) != kActivityTypes.end();
}

TierRule const* AssessmentRules::find_tier(std::string_view tier) const {
    auto it =
        std::find_if(tiers.begin(), tiers.end(), [&](TierRule const& t) { return t.tier == tier; });
    return it == tiers.end() ? nullptr : &*it;
}

result<AssessmentRules, std::string> parse_assessment_rules(std::string_view jsonc_text) {
    auto doc = server::parse_jsonc(jsonc_text);
    if (!doc) {
        return "assessment rules: " + doc.error();
    }
    AssessmentRules out;
    server::JsonObjectReader top(*doc, "");
    require_all(top, {"version", "schedule", "participation", "lectures", "care", "tiers"});
    top.read("version", out.version, 1, 1);
    auto const* schedule = top.member("schedule");
    auto const* tiers = top.member("tiers");
    read_section(top, "participation", [&](server::JsonObjectReader& r) {
        require_all(r, {"name", "weight"});
        r.read("weight", out.participation.weight, 0, 100);
        read_name(r, out.participation.name);
    });
    read_section(top, "lectures",
                 [&](server::JsonObjectReader& r) { read_target(r, out.lectures); });
    read_section(top, "care", [&](server::JsonObjectReader& r) { read_target(r, out.care); });
    top.finish();
    if (!top.ok()) {
        return top.error();
    }
    auto s = read_schedule(*schedule, top.path_of("schedule"));
    if (!s) {
        return s.error();
    }
    out.schedule = std::move(*s);
    auto t = read_tiers(*tiers, top.path_of("tiers"));
    if (!t) {
        return t.error();
    }
    out.tiers = std::move(*t);
    // A score is points over weights; with no weight at all there is nothing to divide by.
    if (total_weight(out) == 0) {
        return std::string("/: expected at least one weight above 0");
    }
    return out;
}

result<AssessmentRules, std::string> load_assessment_rules(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "assessment rules: cannot open " + path;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto rules = parse_assessment_rules(buf.str());
    if (!rules) {
        return path + ": " + rules.error();
    }
    return rules;
}

//------------------------------------------------------------------------------
// Half-years and months in Beijing time

std::string HalfYear::label() const { return fmt::format("{:04}H{}", year, half); }

std::int64_t HalfYear::start() const { return beijing_month_start(year, first_month()); }

std::int64_t HalfYear::end() const {
    return half == 1 ? beijing_month_start(year, 7) : beijing_month_start(year + 1, 1);
}

std::optional<HalfYear> parse_half_year(std::string_view text) {
    // The H sits right after the year, or after a dash that follows it.
    std::size_t const h = text.size() == 7 && text[4] == '-' ? 5 : 4;
    if (text.size() != h + 2 || (text[h] != 'H' && text[h] != 'h') ||
        (text[h + 1] != '1' && text[h + 1] != '2')) {
        return std::nullopt;
    }
    auto const digits = text.substr(0, 4);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    int year = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), year);
    if (year < 1970) {
        return std::nullopt;
    }
    return HalfYear{year, text[h + 1] - '0'};
}

HalfYear half_year_of(std::int64_t unix_seconds) {
    std::chrono::year_month_day const ymd{beijing_sys_day(unix_seconds)};
    return HalfYear{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()) <= 6 ? 1 : 2};
}

int beijing_month(std::int64_t unix_seconds) {
    return static_cast<int>(
        static_cast<unsigned>(std::chrono::year_month_day{beijing_sys_day(unix_seconds)}.month()));
}

}  // namespace bense::handlers

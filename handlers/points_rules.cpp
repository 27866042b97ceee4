// See points_rules.hpp.
#include "handlers/points_rules.hpp"

#include "handlers/text_fields.hpp"
#include "server/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

namespace bense::handlers {
namespace {

constexpr std::size_t kMaxActionLength = 64;
constexpr std::size_t kMaxNameCharacters = 32;
constexpr std::string_view kManualPrefix = "manual.";

// Records "<path>: required" when `key` is absent; the caller then reads it as usual.
void require(server::JsonObjectReader& r, std::string_view key) {
    if (r.member(key) == nullptr) {
        r.fail(r.path_of(key) + ": required");
    }
}

bool is_action_id(std::string_view s) {
    return !s.empty() && s.size() <= kMaxActionLength &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_' || c == '.'; });
}

void read_rule(server::JsonObjectReader& r, PointsRule& out) {
    for (auto key : {"action", "name", "points", "daily_cap", "yearly_cap", "needs_confirmation", "reason_required"}) {
        require(r, key);
    }
    r.read("action", out.action);
    r.read("name", out.name);
    r.read("points", out.points, -100, 100);
    r.read("amount_from_caller", out.amount_from_caller);
    r.read("daily_cap", out.daily_cap, 0, 1000);
    r.read("yearly_cap", out.yearly_cap, 0, 100000);
    r.read("needs_confirmation", out.needs_confirmation);
    r.read("reason_required", out.reason_required);
    r.finish();
    if (!r.ok()) {
        return;
    }
    if (!is_action_id(out.action)) {
        return r.fail(r.path_of("action") + ": expected 1..64 characters of a-z, _ and .");
    }
    if (auto const n = count_characters(out.name); n < 1 || n > kMaxNameCharacters) {
        return r.fail(r.path_of("name") + ": expected 1..32 characters");
    }
    bool const manual = out.action.starts_with(kManualPrefix);
    if (out.points < 0 && !manual) {
        return r.fail(r.path_of("points") + ": negative points only for manual.* rules");
    }
    if (out.amount_from_caller && !manual) {
        return r.fail(r.path_of("amount_from_caller") + ": only for manual.* rules");
    }
    if (out.amount_from_caller && out.points != 0) {
        return r.fail(r.path_of("points") + ": expected 0 when amount_from_caller is true");
    }
    if (manual && !out.reason_required) {
        return r.fail(r.path_of("reason_required") + ": manual.* rules must require a reason");
    }
    if (out.daily_cap > 0 && out.yearly_cap > 0 && out.daily_cap > out.yearly_cap) {
        return r.fail(r.path_of("daily_cap") + ": larger than yearly_cap");
    }
}

std::chrono::sys_days beijing_sys_day(std::int64_t unix_seconds) {
    using namespace std::chrono;
    return floor<days>(sys_seconds{seconds{unix_seconds}} + hours{8});
}

}  // namespace

PointsRule const* PointsRules::find(std::string_view action) const {
    auto it = std::find_if(rules.begin(), rules.end(), [&](PointsRule const& r) { return r.action == action; });
    return it == rules.end() ? nullptr : &*it;
}

result<PointsRules, std::string> parse_points_rules(std::string_view jsonc_text) {
    auto doc = server::parse_jsonc(jsonc_text);
    if (!doc) {
        return "points rules: " + doc.error();
    }
    PointsRules out;
    server::JsonObjectReader top(*doc, "");
    require(top, "version");
    top.read("version", out.version, 1, 1);
    require(top, "rules");
    auto const* rules = top.member("rules");
    top.finish();
    if (!top.ok()) {
        return top.error();
    }
    if (!rules->IsArray()) {
        return top.path_of("rules") + ": expected an array";
    }
    for (rapidjson::SizeType i = 0; i < rules->Size(); ++i) {
        server::JsonObjectReader r((*rules)[i], fmt::format("{}/{}", top.path_of("rules"), i));
        PointsRule rule;
        read_rule(r, rule);
        if (!r.ok()) {
            return r.error();
        }
        if (out.find(rule.action) != nullptr) {
            return r.path_of("action") + ": duplicate " + rule.action;
        }
        out.rules.push_back(std::move(rule));
    }
    return out;
}

result<PointsRules, std::string> load_points_rules(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "points rules: cannot open " + path;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto rules = parse_points_rules(buf.str());
    if (!rules) {
        return path + ": " + rules.error();
    }
    return rules;
}

std::string beijing_day(std::int64_t unix_seconds) {
    std::chrono::year_month_day const ymd{beijing_sys_day(unix_seconds)};
    int const year = static_cast<int>(ymd.year());
    auto const month = static_cast<unsigned>(ymd.month());
    auto const day = static_cast<unsigned>(ymd.day());
    if (year < 0 || year > 9999) {
        return fmt::format("{:04}-{:02}-{:02}", year, month, day);
    }
    // Digits in place: fmt's reading of the format string was 2% of an award's instructions.
    std::string out = "0000-00-00";
    auto const digit = [](unsigned v) { return static_cast<char>('0' + v % 10); };
    auto const y = static_cast<unsigned>(year);
    out[0] = digit(y / 1000);
    out[1] = digit(y / 100);
    out[2] = digit(y / 10);
    out[3] = digit(y);
    out[5] = digit(month / 10);
    out[6] = digit(month);
    out[8] = digit(day / 10);
    out[9] = digit(day);
    return out;
}

int beijing_year(std::int64_t unix_seconds) {
    return static_cast<int>(std::chrono::year_month_day{beijing_sys_day(unix_seconds)}.year());
}

}  // namespace bense::handlers

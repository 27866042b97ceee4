// The learning-points rules: the shipped config/points.jsonc, every check with the JSON path
// it names, and the Beijing-time day and year at their edges.
#include "handlers/points_rules.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

// One rule as JSON; a field left empty is omitted, `extra` is appended as is.
struct Rule {
    std::string action = R"("checkin.party_day")";
    std::string name = R"("主题党日")";
    std::string points = "5";
    std::string daily_cap = "10";
    std::string yearly_cap = "120";
    std::string needs_confirmation = "false";
    std::string reason_required = "false";
    std::string extra;

    std::string json() const {
        std::string out = "{";
        auto add = [&](std::string_view key, std::string const& value) {
            if (value.empty()) {
                return;
            }
            if (out.size() > 1) {
                out += ", ";
            }
            out += "\"" + std::string(key) + "\": " + value;
        };
        add("action", action);
        add("name", name);
        add("points", points);
        add("daily_cap", daily_cap);
        add("yearly_cap", yearly_cap);
        add("needs_confirmation", needs_confirmation);
        add("reason_required", reason_required);
        if (!extra.empty()) {
            out += ", " + extra;
        }
        return out + "}";
    }
};

Rule with_action(std::string action) {
    Rule r;
    r.action = "\"" + action + "\"";
    return r;
}

Rule manual(std::string action) {
    Rule r = with_action(std::move(action));
    r.points = "0";
    r.daily_cap = "0";
    r.yearly_cap = "0";
    r.reason_required = "true";
    r.extra = R"("amount_from_caller": true)";
    return r;
}

std::string doc(std::vector<Rule> const& rules) {
    std::string out = "// rules\n{\"version\": 1, \"rules\": [";
    for (std::size_t i = 0; i < rules.size(); ++i) {
        out += (i == 0 ? "" : ", ") + rules[i].json();
    }
    return out + "]}";
}

std::string error_of(std::string_view text) {
    auto const r = parse_points_rules(text);
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

std::string error_of(Rule const& rule) { return error_of(doc({rule})); }

std::string repeat(std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

}  // namespace

TEST_CASE("points rules: the shipped config/points.jsonc parses", "[points]") {
    auto const r = load_points_rules(BENSE_SOURCE_DIR "/config/points.jsonc");
    INFO((r ? std::string() : r.error()));
    REQUIRE(r.has_value());
    CHECK(r->version == 1);
    CHECK(r->rules.size() == 11);

    auto const* party_day = r->find("checkin.party_day");
    REQUIRE(party_day != nullptr);
    CHECK(party_day->name == "主题党日");
    CHECK(party_day->points == 5);
    CHECK(party_day->daily_cap == 10);
    CHECK(party_day->yearly_cap == 120);
    CHECK_FALSE(party_day->needs_confirmation);
    CHECK_FALSE(party_day->amount_from_caller);

    auto const* lecture = r->find("lecture.finish");
    REQUIRE(lecture != nullptr);
    CHECK(lecture->points == 2);
    CHECK(lecture->daily_cap == 6);
    CHECK(lecture->yearly_cap == 200);

    auto const* vote = r->find("vote.cast");
    REQUIRE(vote != nullptr);
    CHECK(vote->points == 1);
    CHECK(vote->daily_cap == 1);
    CHECK(vote->yearly_cap == 30);

    for (auto action : {"checkin.volunteer", "volunteer.confirmed"}) {
        auto const* rule = r->find(action);
        REQUIRE(rule != nullptr);
        CHECK(rule->needs_confirmation);
    }
    for (auto action : {"manual.award", "manual.deduct"}) {
        auto const* rule = r->find(action);
        REQUIRE(rule != nullptr);
        CHECK(rule->amount_from_caller);
        CHECK(rule->reason_required);
        CHECK(rule->points == 0);
    }
    for (auto action : {"checkin.three_meetings", "checkin.silver_lecture", "checkin.other", "lecture.publish"}) {
        CHECK(r->find(action) != nullptr);
    }
    CHECK(r->find("checkin") == nullptr);
    CHECK(r->find("") == nullptr);
}

TEST_CASE("points rules: a minimal file parses with defaults", "[points]") {
    Rule deduct = with_action("manual.deduct");
    deduct.points = "-10";
    deduct.reason_required = "true";
    auto const r = parse_points_rules(doc({Rule{}, manual("manual.award"), deduct}));
    INFO((r ? std::string() : r.error()));
    REQUIRE(r.has_value());
    REQUIRE(r->rules.size() == 3);
    CHECK(r->rules[0].action == "checkin.party_day");
    CHECK_FALSE(r->rules[0].amount_from_caller);
    CHECK(r->rules[1].amount_from_caller);
    CHECK(r->rules[2].points == -10);
    CHECK(r->find("manual.deduct") == &r->rules[2]);

    CHECK(parse_points_rules(R"({"version": 1, "rules": []})").has_value());
}

TEST_CASE("points rules: points out of range or not an integer name the rule", "[points]") {
    std::vector<Rule> rules{with_action("a"), with_action("b"), with_action("c"), with_action("d")};
    for (auto bad : {"101", "-101", "1.5", "\"5\"", "true"}) {
        rules[3].points = bad;
        CHECK(error_of(doc(rules)) == "/rules/3/points: expected integer -100..100");
    }
}

TEST_CASE("points rules: a duplicate action names the second one", "[points]") {
    CHECK(error_of(doc({Rule{}, with_action("vote.cast"), Rule{}})) == "/rules/2/action: duplicate checkin.party_day");
}

TEST_CASE("points rules: unknown keys are errors", "[points]") {
    Rule r;
    r.extra = R"("bonus": 1)";
    CHECK(error_of(r) == "/rules/0/bonus: unknown key");
    CHECK(error_of(R"({"version": 1, "rules": [], "comment": "x"})") == "/comment: unknown key");
}

TEST_CASE("points rules: required keys", "[points]") {
    CHECK(error_of(R"({"rules": []})") == "/version: required");
    CHECK(error_of(R"({"version": 1})") == "/rules: required");
    Rule r;
    r.name.clear();
    CHECK(error_of(r) == "/rules/0/name: required");
    r = Rule{};
    r.reason_required.clear();
    CHECK(error_of(r) == "/rules/0/reason_required: required");
}

TEST_CASE("points rules: wrong shapes and types", "[points]") {
    CHECK(error_of(R"({"version": 2, "rules": []})") == "/version: expected integer 1..1");
    CHECK(error_of(R"({"version": 1, "rules": {}})") == "/rules: expected an array");
    CHECK(error_of(R"({"version": 1, "rules": [1]})") == "/rules/0: expected an object");
    CHECK(error_of("[]") == "/: expected an object");
    CHECK(error_of(R"({"version": 1,)").starts_with("points rules: offset "));

    Rule r;
    r.needs_confirmation = "1";
    CHECK(error_of(r) == "/rules/0/needs_confirmation: expected true or false");
    r = Rule{};
    r.action = "5";
    CHECK(error_of(r) == "/rules/0/action: expected a string");
    r = Rule{};
    r.daily_cap = "-1";
    CHECK(error_of(r) == "/rules/0/daily_cap: expected integer 0..1000");
    r = Rule{};
    r.yearly_cap = "-1";
    CHECK(error_of(r) == "/rules/0/yearly_cap: expected integer 0..100000");
}

TEST_CASE("points rules: action ids are [a-z_.]+", "[points]") {
    for (std::string const& bad : std::vector<std::string>{"", "Checkin.party_day", "checkin-party", "checkin party",
                                                             "签到", "vote1", repeat("a", 65)}) {
        INFO(bad);
        CHECK(error_of(with_action(bad)) == "/rules/0/action: expected 1..64 characters of a-z, _ and .");
    }
    CHECK(parse_points_rules(doc({with_action("a_b.c_d"), with_action(repeat("a", 64))})).has_value());
}

TEST_CASE("points rules: names are 1..32 characters, counted as characters not bytes", "[points]") {
    Rule r;
    r.name = "\"" + repeat("党", 32) + "\"";
    CHECK(parse_points_rules(doc({r})).has_value());
    r.name = "\"" + repeat("党", 33) + "\"";
    CHECK(error_of(r) == "/rules/0/name: expected 1..32 characters");
    r.name = R"("")";
    CHECK(error_of(r) == "/rules/0/name: expected 1..32 characters");
}

TEST_CASE("points rules: only manual.* rules may deduct or take the amount from the caller", "[points]") {
    Rule r;
    r.points = "-1";
    CHECK(error_of(r) == "/rules/0/points: negative points only for manual.* rules");

    r = Rule{};
    r.points = "0";
    r.extra = R"("amount_from_caller": true)";
    CHECK(error_of(r) == "/rules/0/amount_from_caller: only for manual.* rules");

    r = manual("manual.award");
    r.points = "3";
    CHECK(error_of(r) == "/rules/0/points: expected 0 when amount_from_caller is true");

    r = manual("manual.award");
    r.reason_required = "false";
    CHECK(error_of(r) == "/rules/0/reason_required: manual.* rules must require a reason");
}

TEST_CASE("points rules: a daily cap may not exceed the yearly cap", "[points]") {
    Rule r;
    r.daily_cap = "121";
    CHECK(error_of(r) == "/rules/0/daily_cap: larger than yearly_cap");
    r.yearly_cap = "0";
    CHECK(parse_points_rules(doc({r})).has_value());
    r.yearly_cap = "121";
    CHECK(parse_points_rules(doc({r})).has_value());
}

TEST_CASE("beijing_day and beijing_year: UTC+8 at the edges", "[points]") {
    // 2026-12-31T15:59:59Z and 2026-12-31T16:00:00Z: the last second of 2026 in Beijing and
    // the first of 2027.
    CHECK(beijing_day(1798732799) == "2026-12-31");
    CHECK(beijing_year(1798732799) == 2026);
    CHECK(beijing_day(1798732800) == "2027-01-01");
    CHECK(beijing_year(1798732800) == 2027);
    // Midnight in Beijing: 2026-12-01T16:00:00Z.
    CHECK(beijing_day(1796140800) == "2026-12-02");
    CHECK(beijing_day(1796140799) == "2026-12-01");
    // A leap day: 2024-02-28T16:00:00Z.
    CHECK(beijing_day(1709136000) == "2024-02-29");
    // Around the epoch, including times before it (rounded down, not toward zero).
    CHECK(beijing_day(0) == "1970-01-01");
    CHECK(beijing_day(-28800) == "1970-01-01");
    CHECK(beijing_day(-28801) == "1969-12-31");
    CHECK(beijing_year(-28801) == 1969);
    // Every part padded to its width: a one-digit month and day, a three-digit year.
    CHECK(beijing_day(1804176000) == "2027-03-05");
    CHECK(beijing_day(-30628713600) == "0999-06-01");
}

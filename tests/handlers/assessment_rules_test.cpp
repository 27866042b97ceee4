// The branch assessment rules: the shipped config/assessment.jsonc, every check with the JSON
// path it names, and the Beijing-time half-years and months at their edges.
#include "handlers/assessment_rules.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace bense::handlers;

namespace {

// One schedule entry as JSON; a field left empty is omitted, `extra` is appended as is.
struct Entry {
    std::string type = R"("party_day")";
    std::string name = R"("主题党日")";
    std::string every = R"("month")";
    std::string count = "1";
    std::string weight = "30";
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
        add("type", type);
        add("name", name);
        add("every", every);
        add("count", count);
        add("weight", weight);
        if (!extra.empty()) {
            out += ", " + extra;
        }
        return out + "}";
    }
};

Entry with_type(std::string type) {
    Entry e;
    e.type = "\"" + type + "\"";
    return e;
}

// A whole file; a section left empty is omitted, `extra` is appended as is.
struct Doc {
    std::vector<Entry> schedule{Entry{}};
    std::string version = "1";
    std::string participation = R"({"name": "党员参与率", "weight": 20})";
    std::string lectures = R"({"name": "发布微党课", "target": 3, "weight": 10})";
    std::string care = R"({"name": "帮扶台账", "target": 6, "weight": 5})";
    std::string tiers = R"([{"tier": "standard", "name": "规范化支部", "min_score": 60},
                           {"tier": "advanced", "name": "先进支部", "min_score": 80},
                           {"tier": "strong", "name": "过硬支部", "min_score": 90}])";
    std::string extra;
    bool omit_schedule = false;

    std::string json() const {
        std::string s = "[";
        for (std::size_t i = 0; i < schedule.size(); ++i) {
            s += (i == 0 ? "" : ", ") + schedule[i].json();
        }
        s += "]";
        std::string out = "// assessment\n{";
        bool first = true;
        auto add = [&](std::string_view key, std::string const& value) {
            if (value.empty()) {
                return;
            }
            out += first ? "" : ", ";
            first = false;
            out += "\"" + std::string(key) + "\": " + value;
        };
        add("version", version);
        add("schedule", omit_schedule ? std::string() : s);
        add("participation", participation);
        add("lectures", lectures);
        add("care", care);
        add("tiers", tiers);
        if (!extra.empty()) {
            out += ", " + extra;
        }
        return out + "}";
    }
};

std::string error_of(std::string_view text) {
    auto const r = parse_assessment_rules(text);
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

std::string error_of(Doc const& d) { return error_of(d.json()); }

std::string error_of(Entry const& e) {
    Doc d;
    d.schedule = {e};
    return error_of(d);
}

std::string tiers(int standard, int advanced, int strong) {
    return fmt::format(R"([{{"tier": "standard", "name": "规范化支部", "min_score": {}}},
                           {{"tier": "advanced", "name": "先进支部", "min_score": {}}},
                           {{"tier": "strong", "name": "过硬支部", "min_score": {}}}])",
                       standard, advanced, strong);
}

}  // namespace

TEST_CASE("assessment rules: the shipped config/assessment.jsonc parses", "[assessment]") {
    auto const r = load_assessment_rules(BENSE_SOURCE_DIR "/config/assessment.jsonc");
    INFO((r ? std::string() : r.error()));
    REQUIRE(r.has_value());
    CHECK(r->version == 1);
    REQUIRE(r->schedule.size() == 5);
    CHECK(r->schedule[0].type == "party_day");
    CHECK(r->schedule[0].name == "主题党日");
    CHECK(r->schedule[0].every == Period::month);
    CHECK(r->schedule[0].count == 1);
    CHECK(r->schedule[0].weight == 30);
    CHECK(r->schedule[1].type == "general_meeting");
    CHECK(r->schedule[1].every == Period::quarter);
    CHECK(r->schedule[4].type == "party_lecture");
    CHECK(r->participation.name == "党员参与率");
    CHECK(r->participation.weight == 20);
    CHECK(r->lectures.target == 3);
    CHECK(r->care.name == "帮扶台账");
    CHECK(r->care.target == 6);
    REQUIRE(r->tiers.size() == 3);
    CHECK(r->tiers[0].name == "规范化支部");
    CHECK(r->tiers[2].min_score == 90);
    CHECK(r->find_tier("advanced") == &r->tiers[1]);
    CHECK(r->find_tier("") == nullptr);

    // The shipped weights add up to 100, so a branch with every part available reads its
    // score straight off the points.
    int total = r->participation.weight + r->lectures.weight + r->care.weight;
    for (auto const& s : r->schedule) {
        total += s.weight;
    }
    CHECK(total == 100);
}

TEST_CASE("assessment rules: every activity type code, each once", "[assessment]") {
    Doc d;
    d.schedule.clear();
    for (auto type :
         {"party_day", "general_meeting", "committee", "group_meeting", "party_lecture",
          "life_meeting", "member_day", "silver_lecture", "volunteer", "community", "other"}) {
        CHECK(is_activity_type(type));
        d.schedule.push_back(with_type(type));
    }
    auto const r = parse_assessment_rules(d.json());
    INFO((r ? std::string() : r.error()));
    REQUIRE(r.has_value());
    CHECK(r->schedule.size() == 11);

    d.schedule.clear();
    CHECK(parse_assessment_rules(d.json()).has_value());

    for (auto bad : {"", "Party_day", "three_meetings", "vote", "online_time"}) {
        INFO(bad);
        CHECK_FALSE(is_activity_type(bad));
        CHECK(error_of(with_type(bad)) ==
              "/schedule/0/type: expected one of party_day, general_meeting, committee, "
              "group_meeting, party_lecture, life_meeting, member_day, silver_lecture, "
              "volunteer, community, other");
    }
    d.schedule = {with_type("committee"), with_type("party_day"), with_type("committee")};
    CHECK(error_of(d) == "/schedule/2/type: duplicate committee");
}

TEST_CASE("assessment rules: schedule entries", "[assessment]") {
    for (auto [every, period] : {std::pair{"month", Period::month},
                                 {"quarter", Period::quarter},
                                 {"half_year", Period::half_year}}) {
        Entry e;
        e.every = fmt::format("\"{}\"", every);
        Doc d;
        d.schedule = {e};
        auto const r = parse_assessment_rules(d.json());
        REQUIRE(r.has_value());
        CHECK(r->schedule[0].every == period);
    }
    Entry e;
    for (auto bad : {R"("year")", R"("Month")", R"("")"}) {
        e.every = bad;
        CHECK(error_of(e) == "/schedule/0/every: expected month, quarter or half_year");
    }
    e.every = "1";
    CHECK(error_of(e) == "/schedule/0/every: expected a string");

    for (auto bad : {"0", "32", "1.5", "\"1\""}) {
        e = Entry{};
        e.count = bad;
        CHECK(error_of(e) == "/schedule/0/count: expected integer 1..31");
    }
    for (auto bad : {"-1", "101", "2.5", "true"}) {
        e = Entry{};
        e.weight = bad;
        CHECK(error_of(e) == "/schedule/0/weight: expected integer 0..100");
    }
    e = Entry{};
    e.weight = "0";
    Doc d;
    d.schedule = {e};
    CHECK(parse_assessment_rules(d.json()).has_value());

    e = Entry{};
    e.name = R"("")";
    CHECK(error_of(e) == "/schedule/0/name: expected 1..32 characters");
    std::string long_name;
    for (int i = 0; i < 33; ++i) {
        long_name += "党";
    }
    e.name = "\"" + long_name + "\"";
    CHECK(error_of(e) == "/schedule/0/name: expected 1..32 characters");
    e.name = "\"" + long_name.substr(3) + "\"";
    d.schedule = {e};
    CHECK(parse_assessment_rules(d.json()).has_value());
}

TEST_CASE("assessment rules: required and unknown keys", "[assessment]") {
    Doc d;
    d.version.clear();
    CHECK(error_of(d) == "/version: required");
    d = Doc{};
    d.omit_schedule = true;
    CHECK(error_of(d) == "/schedule: required");
    for (auto [key, field] : {std::pair{"participation", &Doc::participation},
                              {"lectures", &Doc::lectures},
                              {"care", &Doc::care},
                              {"tiers", &Doc::tiers}}) {
        d = Doc{};
        (d.*field).clear();
        CHECK(error_of(d) == "/" + std::string(key) + ": required");
    }
    for (auto [key, field] : {std::pair{"type", &Entry::type},
                              {"name", &Entry::name},
                              {"every", &Entry::every},
                              {"count", &Entry::count},
                              {"weight", &Entry::weight}}) {
        Entry e;
        (e.*field).clear();
        CHECK(error_of(e) == "/schedule/0/" + std::string(key) + ": required");
    }
    d = Doc{};
    d.lectures = R"({"name": "发布微党课", "weight": 10})";
    CHECK(error_of(d) == "/lectures/target: required");

    // The 2026 rules keep online time, votes and app usage out; a key for them is refused
    // like any other unknown key.
    d = Doc{};
    d.extra = R"("online_time": {"weight": 10})";
    CHECK(error_of(d) == "/online_time: unknown key");
    d = Doc{};
    d.participation = R"({"name": "党员参与率", "weight": 20, "votes": 1})";
    CHECK(error_of(d) == "/participation/votes: unknown key");
    d = Doc{};
    d.care = R"({"name": "帮扶台账", "target": 6, "weight": 5, "unit": "条"})";
    CHECK(error_of(d) == "/care/unit: unknown key");
    Entry e;
    e.extra = R"("app_usage": 1)";
    CHECK(error_of(e) == "/schedule/0/app_usage: unknown key");
    d = Doc{};
    d.tiers = R"([{"tier": "standard", "name": "规范化支部", "min_score": 60, "x": 1}, {}, {}])";
    CHECK(error_of(d) == "/tiers/0/x: unknown key");
}

TEST_CASE("assessment rules: wrong shapes, types and ranges", "[assessment]") {
    CHECK(error_of("[]") == "/: expected an object");
    CHECK(error_of(R"({"version": 1,)").starts_with("assessment rules: offset "));
    Doc d;
    d.version = "2";
    CHECK(error_of(d) == "/version: expected integer 1..1");
    d = Doc{};
    d.participation = "[]";
    CHECK(error_of(d) == "/participation: expected an object");
    d = Doc{};
    d.participation = R"({"name": "党员参与率", "weight": 101})";
    CHECK(error_of(d) == "/participation/weight: expected integer 0..100");
    d = Doc{};
    d.participation = R"({"name": "", "weight": 20})";
    CHECK(error_of(d) == "/participation/name: expected 1..32 characters");
    for (auto bad : {"0", "-1", "1001", "2.5"}) {
        d = Doc{};
        d.lectures = fmt::format(R"({{"name": "发布微党课", "target": {}, "weight": 10}})", bad);
        CHECK(error_of(d) == "/lectures/target: expected integer 1..1000");
        d = Doc{};
        d.care = fmt::format(R"({{"name": "帮扶台账", "target": {}, "weight": 5}})", bad);
        CHECK(error_of(d) == "/care/target: expected integer 1..1000");
    }
    d = Doc{};
    d.care = R"({"name": "帮扶台账", "target": 6, "weight": -5})";
    CHECK(error_of(d) == "/care/weight: expected integer 0..100");
    d = Doc{};
    d.extra = R"("schedule": 1)";
    d.omit_schedule = true;
    CHECK(error_of(d) == "/schedule: expected an array");
    d = Doc{};
    d.schedule.clear();
    d.participation = R"({"name": "党员参与率", "weight": 0})";
    d.lectures = R"({"name": "发布微党课", "target": 3, "weight": 0})";
    d.care = R"({"name": "帮扶台账", "target": 6, "weight": 0})";
    CHECK(error_of(d) == "/: expected at least one weight above 0");
}

TEST_CASE("assessment rules: exactly three tiers in order, scores ascending", "[assessment]") {
    Doc d;
    d.tiers = tiers(0, 1, 100);
    CHECK(parse_assessment_rules(d.json()).has_value());

    for (auto bad :
         {"[]", "{}", R"([{"tier": "standard", "name": "规范化支部", "min_score": 60}])"}) {
        d.tiers = bad;
        CHECK(error_of(d) == "/tiers: expected 3 tiers: standard, advanced, strong");
    }
    d.tiers = tiers(60, 80, 90);
    d.tiers.replace(d.tiers.find("advanced"), 8, "strong");
    CHECK(error_of(d) == "/tiers/1/tier: expected advanced");
    d.tiers = tiers(60, 80, 90);
    d.tiers.replace(d.tiers.find("standard"), 8, "basic");
    CHECK(error_of(d) == "/tiers/0/tier: expected standard");
    d.tiers = R"([1, 2, 3])";
    CHECK(error_of(d) == "/tiers/0: expected an object");

    d.tiers = tiers(60, 60, 90);
    CHECK(error_of(d) == "/tiers/1/min_score: expected more than 60 (the standard tier's)");
    d.tiers = tiers(60, 95, 90);
    CHECK(error_of(d) == "/tiers/2/min_score: expected more than 95 (the advanced tier's)");
    d.tiers = tiers(60, 80, 101);
    CHECK(error_of(d) == "/tiers/2/min_score: expected integer 0..100");
    d.tiers = tiers(-1, 80, 90);
    CHECK(error_of(d) == "/tiers/0/min_score: expected integer 0..100");
}

TEST_CASE("half-years: labels and Beijing-time boundaries", "[assessment]") {
    HalfYear const h1{2026, 1};
    HalfYear const h2{2026, 2};
    CHECK(h1.label() == "2026H1");
    CHECK(h2.label() == "2026H2");
    // 2025-12-31T16:00:00Z is Beijing midnight on 2026-01-01; 2026-06-30T16:00:00Z on 07-01;
    // 2026-12-31T16:00:00Z on 2027-01-01.
    CHECK(h1.start() == 1767196800);
    CHECK(h1.end() == 1782835200);
    CHECK(h2.start() == 1782835200);
    CHECK(h2.end() == 1798732800);
    CHECK(HalfYear{2027, 1}.start() == h2.end());
    CHECK(h1.first_month() == 1);
    CHECK(h2.first_month() == 7);

    // 2026-06-30 23:59:59 Beijing is the last second of H1; 2026-07-01 00:00:00 the first of H2.
    CHECK(half_year_of(1782835199) == h1);
    CHECK(half_year_of(1782835200) == h2);
    CHECK(h1.contains(1782835199));
    CHECK_FALSE(h1.contains(1782835200));
    CHECK(h2.contains(1782835200));
    // 2026-12-31T16:00:00Z is already 2027 in Beijing.
    CHECK(half_year_of(1798732799) == h2);
    CHECK(half_year_of(1798732800) == HalfYear{2027, 1});
    CHECK_FALSE(h2.contains(1798732800));
    CHECK(half_year_of(1767196799) == HalfYear{2025, 2});
    CHECK(half_year_of(1767196800) == h1);
    // Before the epoch, rounded down rather than toward zero.
    CHECK(half_year_of(-28801) == HalfYear{1969, 2});
    CHECK(half_year_of(-28800) == HalfYear{1970, 1});
}

TEST_CASE("half-years: parse_half_year", "[assessment]") {
    CHECK(parse_half_year("2026H1") == HalfYear{2026, 1});
    CHECK(parse_half_year("2026h2") == HalfYear{2026, 2});
    CHECK(parse_half_year("2026-H2") == HalfYear{2026, 2});
    CHECK(parse_half_year("2026-h1") == HalfYear{2026, 1});
    CHECK(parse_half_year("1970H1") == HalfYear{1970, 1});
    CHECK(parse_half_year("9999H2") == HalfYear{9999, 2});
    for (auto bad : {"", "2026", "2026H", "2026H3", "2026H0", "2026-", "2026--H1", "2026_H1",
                     "2026 H1", " 2026H1", "2026H1 ", "226H1", "20260H1", "+026H1", "1969H2",
                     "0000H1", "2026Q1", "H12026", "2026H12"}) {
        INFO(bad);
        CHECK_FALSE(parse_half_year(bad).has_value());
    }
    for (auto text : {"2026H1", "2026H2", "1999H2"}) {
        CHECK(parse_half_year(text)->label() == text);
    }
}

TEST_CASE("beijing_month: UTC+8 at the edges", "[assessment]") {
    // 2026-01-31T15:59:59Z is still January in Beijing; a second later it is February.
    CHECK(beijing_month(1769875199) == 1);
    CHECK(beijing_month(1769875200) == 2);
    CHECK(beijing_month(1782835199) == 6);
    CHECK(beijing_month(1782835200) == 7);
    CHECK(beijing_month(1798732799) == 12);
    CHECK(beijing_month(1798732800) == 1);
    CHECK(beijing_month(-28801) == 12);
}

// The points views' JSON and CSV: members by number, a ranking only when enabled (ties share
// a rank), and the ledger export Excel opens.
#include "handlers/points_views.hpp"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

rapidjson::Document parse(std::string const& json) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    REQUIRE(d.IsObject());
    return d;
}

BranchPoints branch(bool ranking) {
    return {"b1", "第一支部", 17, 30, 4, ranking,
            {{"m1", "王建国", 5, 9}, {"m2", "李秀英", 7, 7}, {"m3", "张德明", 7, 8}, {"m4", "刘桂兰", 0, 6}}};
}

}  // namespace

TEST_CASE("a branch view lists members by number and ranks only when enabled", "[points]") {
    auto plain = parse(branch_points_json(branch(false), 2026));
    CHECK_FALSE(plain.HasMember("ranking"));
    CHECK(std::string(plain["members"][0]["number"].GetString()) == "m1");
    CHECK(plain["members"].Size() == 4);
    auto ranked = parse(branch_points_json(branch(true), 2026));
    auto const& r = ranked["ranking"];
    REQUIRE(r.Size() == 4);
    // m2 and m3 tie with 7: both first, m1 third, m4 fourth; a tie keeps number order.
    CHECK(std::string(r[0]["number"].GetString()) == "m2");
    CHECK(std::string(r[1]["number"].GetString()) == "m3");
    CHECK(r[0]["rank"].GetInt() == 1);
    CHECK(r[1]["rank"].GetInt() == 1);
    CHECK(r[2]["rank"].GetInt() == 3);
    CHECK(r[3]["rank"].GetInt() == 4);
}

TEST_CASE("a ledger exports oldest first, in Beijing time, with BOM and CRLF", "[points]") {
    PointsRules rules;
    rules.rules = {{"checkin.party_day", "主题党日", 5, false, 10, 120, false, false}};
    PointsHistory h;
    // Newest first, as the store answers.
    h.entries.push_back({"2-0", "manual.deduct", -2, "", 1798732800, "=SUM(A1), 重复", "reversal", "manual:r1",
                         "member:m1", "", "1-0"});
    h.entries.push_back({"1-0", "checkin.party_day", 0, "daily", 1798732799, "", "", "checkin:a1", "member:m2",
                         "m2", ""});
    auto const csv = ledger_csv("m2", h, rules);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    auto const lines = std::count(csv.begin(), csv.end(), '\n');
    CHECK(lines == 3);
    CHECK(csv.find("\r\n") != std::string::npos);
    auto const first = csv.find("2026-12-31 23:59");
    auto const second = csv.find("2027-01-01 00:00");
    REQUIRE(first != std::string::npos);
    REQUIRE(second != std::string::npos);
    CHECK(first < second);
    CHECK(csv.find("主题党日") != std::string::npos);
    CHECK(csv.find("当日已达上限") != std::string::npos);
    CHECK(csv.find("manual.deduct") != std::string::npos);  // a rule no longer in the file: its id
    CHECK(csv.find(",-2,") != std::string::npos);
    CHECK(csv.find("冲正") != std::string::npos);
    // A reason that looks like a formula is not run by Excel.
    CHECK(csv.find("\"'=SUM(A1), 重复\"") != std::string::npos);
}

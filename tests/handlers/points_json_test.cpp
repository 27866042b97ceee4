// What the points admin API accepts, and the sentence it answers for everything else.
#include "handlers/points_json.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

rapidjson::Document parse(char const* json) {
    rapidjson::Document d;
    d.Parse(json);
    REQUIRE(d.IsObject());
    return d;
}

}  // namespace

TEST_CASE("an award names its rule, its amount, a reason and a request id", "[points]") {
    auto in = parse_award_input(parse(R"({"action":"manual.award","points":3,"reason":"  宣讲  ","request_id":"abc-1234"})"));
    REQUIRE(in.has_value());
    CHECK(in->action == "manual.award");
    CHECK(in->points == 3);
    CHECK(in->reason == "宣讲");  // trimmed
    CHECK(in->request_id == "abc-1234");
    auto fixed = parse_award_input(parse(R"({"action":"volunteer.confirmed","request_id":"abc_12345"})"));
    REQUIRE(fixed.has_value());
    CHECK_FALSE(fixed->points);
    CHECK(fixed->reason.empty());
}

TEST_CASE("a malformed award is refused with what to fix", "[points]") {
    auto reason = [](char const* json) {
        auto in = parse_award_input(parse(json));
        REQUIRE_FALSE(in.has_value());
        return in.error().reason;
    };
    CHECK(reason(R"({"points":3,"request_id":"abc-1234"})").find("action") != std::string::npos);
    CHECK(reason(R"({"action":"","request_id":"abc-1234"})").find("action") != std::string::npos);
    CHECK(reason(R"({"action":5,"request_id":"abc-1234"})").find("文字") != std::string::npos);
    CHECK(reason(R"({"action":"manual.award","points":2.5,"request_id":"abc-1234"})").find("整数") !=
          std::string::npos);
    CHECK(reason(R"({"action":"manual.award","points":3})").find("request_id") != std::string::npos);
    CHECK(reason(R"({"action":"manual.award","request_id":"1234567"})").find("request_id") != std::string::npos);
    CHECK(reason(R"({"action":"manual.award","request_id":"abcd efgh"})").find("request_id") != std::string::npos);
    std::string const long_id(65, 'a');
    CHECK(reason((R"({"action":"manual.award","request_id":")" + long_id + "\"}").c_str()).find("request_id") !=
          std::string::npos);
    CHECK(reason(R"({"action":"manual.award","request_id":"abc-1234","member":"m2"})").find("member") !=
          std::string::npos);
    std::string const long_reason(601, 'x');
    CHECK(reason((R"({"action":"manual.award","request_id":"abc-1234","reason":")" + long_reason + "\"}").c_str())
              .find("200") != std::string::npos);
}

TEST_CASE("a reversal carries a reason, a decision says yes or no", "[points]") {
    CHECK(*parse_reversal_input(parse(R"({"reason":"签错了"})")) == "签错了");
    CHECK(parse_reversal_input(parse(R"({})"))->empty());  // the ledger asks for the reason
    CHECK_FALSE(parse_reversal_input(parse(R"({"reason":"x","points":1})")).has_value());
    CHECK_FALSE(parse_reversal_input(parse(R"({"reason":1})")).has_value());
    auto yes = parse_decision_input(parse(R"({"confirm":true})"));
    REQUIRE(yes.has_value());
    CHECK(yes->confirm);
    auto no = parse_decision_input(parse(R"({"confirm":false,"reason":"没来"})"));
    REQUIRE(no.has_value());
    CHECK_FALSE(no->confirm);
    CHECK(no->reason == "没来");
    CHECK_FALSE(parse_decision_input(parse(R"({})")).has_value());
    CHECK_FALSE(parse_decision_input(parse(R"({"confirm":"true"})")).has_value());
    CHECK_FALSE(parse_decision_input(parse(R"({"confirm":true,"why":"x"})")).has_value());
}

TEST_CASE("the ranking setting is a boolean, the year a year", "[points]") {
    CHECK(*parse_ranking_input(parse(R"({"ranking":true})")));
    CHECK_FALSE(*parse_ranking_input(parse(R"({"ranking":false})")));
    CHECK_FALSE(parse_ranking_input(parse(R"({"ranking":1})")).has_value());
    CHECK_FALSE(parse_ranking_input(parse(R"({})")).has_value());
    CHECK_FALSE(parse_ranking_input(parse(R"({"ranking":true,"public":true})")).has_value());
    CHECK(*parse_year_param(std::nullopt, 2026) == 2026);
    CHECK(*parse_year_param(std::string("2025"), 2026) == 2025);
    for (auto bad : {"", "25", "1999", "2101", "2025x", "二〇二五"}) {
        INFO(bad);
        CHECK_FALSE(parse_year_param(std::string(bad), 2026).has_value());
    }
}

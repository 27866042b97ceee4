// What the activities API accepts: check-ins (a typed code, a scanned code, a place), leave
// and cancellation reasons, proxy check-ins, records and months; no I/O.
#include "handlers/activity_input.hpp"
#include "handlers/beijing_time.hpp"
#include "support/json_checks.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;
using namespace bense::test;

namespace {

// The reason `parse_input` refuses the JSON object `json` with; the test stops if it is taken.
template <class Parse>
std::string refusal(Parse parse_input, std::string const& json) {
    auto doc = parse(json);
    auto r = parse_input(doc);
    REQUIRE_FALSE(r.has_value());
    return r.error().reason;
}

}  // namespace

TEST_CASE("a typed code is four digits, full-width and spaced ones forgiven", "[activity]") {
    CHECK(read_checkin_code("4821") == "4821");
    CHECK(read_checkin_code(" 48 21 ") == "4821");
    CHECK(read_checkin_code("\xEF\xBC\x94\xEF\xBC\x98\xEF\xBC\x92\xEF\xBC\x91") == "4821");  // ４８２１
    CHECK(read_checkin_code("\xE3\x80\x80" "0007") == "0007");
    CHECK_FALSE(read_checkin_code("482"));
    CHECK_FALSE(read_checkin_code("48210"));
    CHECK_FALSE(read_checkin_code("48a1"));
    CHECK_FALSE(read_checkin_code(""));
    CHECK_FALSE(read_checkin_code("\xEF\xBC"));  // a cut UTF-8 sequence
}

TEST_CASE("a check-in names exactly one way: code, scene or a place", "[activity]") {
    auto code = parse_checkin_input(parse(R"({"code":" 4821 "})"));
    REQUIRE(code.has_value());
    CHECK(code->channel == "code");
    CHECK(code->code == "4821");
    auto scene = parse_checkin_input(parse(R"({"scene":"a12.3f9c0d1e2b4a5c6d"})"));
    REQUIRE(scene.has_value());
    CHECK(scene->channel == "scene");
    CHECK(scene->scene == "a12.3f9c0d1e2b4a5c6d");
    auto geo = parse_checkin_input(parse(R"({"activity":"a1","lat":34.8,"lng":117.5})"));
    REQUIRE(geo.has_value());
    CHECK(geo->channel == "geo");
    CHECK(geo->activity == "a1");
    CHECK(*geo->lat == Approx(34.8));
    CHECK(*geo->lng == Approx(117.5));

    auto why = [](std::string const& json) { return refusal(&parse_checkin_input, json); };
    CHECK(why("{}").find("一种") != std::string::npos);
    CHECK(why(R"({"code":"4821","scene":"x"})").find("一种") != std::string::npos);
    CHECK(why(R"({"code":"482"})").find("4位") != std::string::npos);
    CHECK(why(R"({"code":4821})").find("4位") != std::string::npos);  // a number would lose leading zeros
    CHECK(why(R"({"scene":""})").find("scene") != std::string::npos);
    CHECK(why(R"({"scene":")" + std::string(33, 'a') + R"("})").find("scene") != std::string::npos);
    CHECK(why(R"({"activity":"a1"})").find("lat") != std::string::npos);
    CHECK(why(R"({"activity":"a1","lat":91,"lng":117})").find("lat") != std::string::npos);
    CHECK(why(R"({"activity":"a1","lat":"34.8","lng":117})").find("lat") != std::string::npos);
    CHECK(why(R"({"activity":"","lat":34,"lng":117})").find("activity") != std::string::npos);
    CHECK(why(R"({"code":"4821","lat":34})").find("lat") != std::string::npos);
    CHECK(why(R"({"code":"4821","member":"m2"})").find("member") != std::string::npos);
}

TEST_CASE("a reason, a proxy's member and a record are checked", "[activity]") {
    auto reason = parse_reason_input(parse(R"({"reason":"  住院  "})"));
    REQUIRE(reason.has_value());
    CHECK(*reason == "住院");
    auto no_reason = [](std::string const& json) { return refusal(&parse_reason_input, json); };
    CHECK(no_reason("{}").find("原因") != std::string::npos);
    CHECK(no_reason(R"({"reason":"   "})").find("1到100") != std::string::npos);
    CHECK(no_reason(R"({"reason":7})").find("原因") != std::string::npos);
    std::string long_reason;
    for (int i = 0; i < 101; ++i) {
        long_reason += "病";
    }
    CHECK(no_reason(R"({"reason":")" + long_reason + R"("})").find("1到100") != std::string::npos);
    CHECK(parse_reason_input(parse(R"({"reason":")" + long_reason.substr(3) + R"("})")).has_value());  // 100

    CHECK(valid(parse_proxy_input(parse(R"({"member":"m2"})"))) == "m2");
    CHECK_FALSE(parse_proxy_input(parse(R"({"member":""})")).has_value());
    CHECK_FALSE(parse_proxy_input(parse(R"({"number":"m2"})")).has_value());

    auto rec = parse_record_input(parse(R"({"summary":"学习了\n党章","attended":["m2","m3","m2"]})"));
    REQUIRE(rec.has_value());
    CHECK(rec->summary == "学习了\n党章");
    CHECK(rec->attended == std::vector<std::string>{"m2", "m3"});  // a repeat counts once
    CHECK(valid(parse_record_input(parse(R"({"summary":"好"})"))).attended.empty());
    auto bad = [](std::string const& json) { return refusal(&parse_record_input, json); };
    CHECK(bad(R"({"attended":["m2"]})").find("summary") != std::string::npos);
    CHECK(bad(R"({"summary":""})").find("1到500") != std::string::npos);
    CHECK(bad(R"({"summary":"好","attended":"m2"})").find("attended") != std::string::npos);
    CHECK(bad(R"({"summary":"好","attended":[2]})").find("attended") != std::string::npos);
    CHECK(bad(R"({"summary":"好","extra":1})").find("extra") != std::string::npos);
}

TEST_CASE("a month is YYYY-MM in Beijing time, this one by default", "[activity]") {
    auto dec = parse_month_param(std::string("2026-12"), 0);
    REQUIRE(dec.has_value());
    CHECK(dec->name == "2026-12");
    CHECK(dec->from == beijing_month_start(2026, 12));
    CHECK(dec->to == beijing_month_start(2027, 1) - 1);
    CHECK(beijing_minute(dec->from) == "2026-12-01 00:00");
    CHECK(beijing_minute(dec->to) == "2026-12-31 23:59");
    // 2026-11-30 23:30 in UTC is already December in Beijing.
    auto now = parse_month_param(std::nullopt, beijing_month_start(2026, 12) + 60);
    REQUIRE(now.has_value());
    CHECK(now->name == "2026-12");
    for (auto bad : {"2026-13", "2026-00", "2026-1", "1999-12", "2026/12", "abcd-ef", ""}) {
        INFO(bad);
        CHECK_FALSE(parse_month_param(std::string(bad), 0).has_value());
    }
}

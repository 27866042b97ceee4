// Times as members read them, at the edges of a Beijing day, month and year.
#include "handlers/beijing_time.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

TEST_CASE("Beijing times read as members read them", "[activity]") {
    // 2026-12-31 15:59:59Z is 23:59:59 in Beijing; a second later it is New Year there.
    constexpr std::int64_t kLastSecond = 1798732799;
    CHECK(beijing_clock(kLastSecond) == "23:59");
    CHECK(beijing_clock(kLastSecond + 1) == "0:00");
    CHECK(beijing_month_day(kLastSecond) == "12月31日");
    CHECK(beijing_month_day(kLastSecond + 1) == "1月1日");
    CHECK(beijing_month_day_time(kLastSecond + 1 + 9 * 3600 + 2 * 60) == "1月1日 9:02");
    CHECK(beijing_minute(kLastSecond) == "2026-12-31 23:59");
    CHECK(beijing_midnight(kLastSecond) == kLastSecond + 1 - 86400);
    CHECK(beijing_midnight(kLastSecond + 1) == kLastSecond + 1);
    CHECK(beijing_month_start(2027, 1) == kLastSecond + 1);
    CHECK(beijing_month_start(2026, 12) == kLastSecond + 1 - 31 * 86400);
}

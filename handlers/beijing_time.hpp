// Times as old members read them, in Beijing time (UTC+8, no DST): "9:02", "12月5日 14:30",
// "2026-12-05 14:30" (exports). Pure.
#pragma once

#include <cstdint>
#include <string>

namespace bense::handlers {

// "9:02"
std::string beijing_clock(std::int64_t unix_seconds);
// "12月5日 14:30"
std::string beijing_month_day_time(std::int64_t unix_seconds);
// "12月5日"
std::string beijing_month_day(std::int64_t unix_seconds);
// "2026-12-05 14:30"
std::string beijing_minute(std::int64_t unix_seconds);
// The Unix time of Beijing midnight starting the day of `unix_seconds`.
std::int64_t beijing_midnight(std::int64_t unix_seconds);
// The Unix time of Beijing midnight of the first day of month `month` (1..12) of `year`.
std::int64_t beijing_month_start(int year, int month);

}  // namespace bense::handlers

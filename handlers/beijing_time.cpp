// See beijing_time.hpp.
#include "handlers/beijing_time.hpp"

#include <fmt/format.h>

#include <chrono>

namespace bense::handlers {
namespace {

constexpr std::int64_t kOffset = 8 * 3600;

struct Civil {
    int year;
    unsigned month;
    unsigned day;
    int hour;
    int minute;
};

Civil civil(std::int64_t unix_seconds) {
    using namespace std::chrono;
    auto const local = sys_seconds(seconds(unix_seconds + kOffset));
    auto const day = floor<days>(local);
    year_month_day const ymd(day);
    auto const minutes = duration_cast<std::chrono::minutes>(local - day).count();
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
            static_cast<int>(minutes / 60), static_cast<int>(minutes % 60)};
}

}  // namespace

std::string beijing_clock(std::int64_t unix_seconds) {
    auto const c = civil(unix_seconds);
    return fmt::format("{}:{:02}", c.hour, c.minute);
}

std::string beijing_month_day_time(std::int64_t unix_seconds) {
    auto const c = civil(unix_seconds);
    return fmt::format("{}月{}日 {}:{:02}", c.month, c.day, c.hour, c.minute);
}

std::string beijing_month_day(std::int64_t unix_seconds) {
    auto const c = civil(unix_seconds);
    return fmt::format("{}月{}日", c.month, c.day);
}

std::string beijing_minute(std::int64_t unix_seconds) {
    auto const c = civil(unix_seconds);
    return fmt::format("{}-{:02}-{:02} {:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute);
}

std::int64_t beijing_midnight(std::int64_t unix_seconds) {
    auto const local = unix_seconds + kOffset;
    auto const day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    return day * 86400 - kOffset;
}

std::int64_t beijing_month_start(int year, int month) {
    using namespace std::chrono;
    auto const day = sys_days(std::chrono::year(year) / std::chrono::month(static_cast<unsigned>(month)) / 1);
    return duration_cast<seconds>(day.time_since_epoch()).count() - kOffset;
}

}  // namespace bense::handlers

// The start (and optional end) time a branch secretary types in the chat when creating an
// activity: "明天上午9点", "下周三下午2点到4点", "12月5日 14:30-16:00". Pure: the current time is
// a parameter, every phrase is Beijing time (UTC+8, no DST), and nothing is read or logged.
#pragma once

#include "server/net.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bense::handlers {

struct ParsedTime {
    std::int64_t start = 0;           // Unix seconds; never before `now`
    std::optional<std::int64_t> end;  // Unix seconds, same Beijing day, after start; for ranges
};

// Parses one date/time phrase. `text` is the user's message after the bot's normalisation
// (full-width digits, letters and colon already half-width); Chinese numerals (十二月五日,
// 两点半) and any spaces are accepted as well. `now` is Unix seconds.
//
// The day is 今天/明天/后天/大后天 (今晚/明早 also set the period), 周X/星期X/礼拜X (the next
// one to come: today while the time is ahead), 本周X/这周X (this Monday-based week), 下周X
// (next week), a date with or without a year (12月5日, 12.5, 12/5, 12-5, 5号, 2026-12-05,
// optionally followed by a weekday that must match), or nothing (today). A date without a year
// is its next occurrence, today included. The time is 9点, 9点半, 9点30(分), 9点一刻, 9:30,
// optionally after 上午/早上/中午/下午/晚上, and may be followed by 到/至/-/~ and an end time;
// an end without its own period takes the start's (下午2点到4点 ends at 16:00). An hour 1..6
// with no period word (and none implied by 今晚/明早) is the afternoon, 13..18: "明天3点" is
// 15:00, since branch activities are never at 3 a.m.; "上午6点" or a leading zero ("06:30")
// keeps the early hour.
//
// Returns the times, or a short Simplified Chinese sentence telling the user what to write:
// the phrase is not understood, has a date but no time, names an impossible date or time,
// lies in the past, or ends before it starts.
result<ParsedTime, std::string> parse_date_phrase(std::string_view text, std::int64_t now);

}  // namespace bense::handlers

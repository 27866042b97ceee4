// The words of date_phrase.cpp's small language: 明天, 下周, 下午, 点, 月, digit runs and
// Chinese numeral runs (十二, 两, 二〇二六) become DateTokens. Pure; knows no grammar and no
// calendar, only the vocabulary.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace bense::handlers {

enum class DateTokenKind {
    number,  // value: the number; extra: digits typed (4 for a year; 十二 counts 2)
    day_offset,  // 今天 明天 后天 大后天 今晚 明早...; value: days from today; extra: a DayPeriod
    week,         // 本周 这周 下周 下星期 周 星期 礼拜...; value: a WeekKind
    period,       // 上午 早上 中午 下午 晚上...; value: a DayPeriod
    year,         // 年
    month,        // 月
    day_mark,     // 日 号 (日 is also Sunday after 周)
    sunday,       // 天, after 星期/礼拜
    hour_mark,    // 点 点钟 时
    minute_mark,  // 分
    half,         // 半
    quarter,      // 刻
    sharp,        // 整
    colon,        // : ：
    sep,          // . / -; value: the character
    range,        // 到 至 ~ ～ — –
    open,         // ( （
    close,        // ) ）
};

enum DayPeriod { kNoPeriod, kMorning, kNoon, kAfternoon, kEvening };
enum WeekKind { kThisWeek, kNextWeek, kComingWeekday };

struct DateToken {
    DateTokenKind kind = DateTokenKind::number;
    int value = 0;
    int extra = 0;
    std::string_view text;  // as typed (points into the input), for messages
};

// The tokens of `text` without its spaces and commas (which still end a number: "12.5 14:30"
// is 12 . 5 14 : 30), or nullopt when something is outside the vocabulary or a number is
// longer than four digits. After a week word only one Chinese numeral is read, so that
// 下周三十点 is 下周 三 十 点.
std::optional<std::vector<DateToken>> tokenize_date_phrase(std::string_view text);

}  // namespace bense::handlers

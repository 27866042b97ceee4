// See date_phrase.hpp. Three steps: tokenize_date_phrase (date_token.cpp) reads the words, a
// small recursive-descent Parser reads an optional day and a time or time range from them, and
// parse_date_phrase resolves those against `now` in Beijing time.
#include "handlers/date_phrase.hpp"

#include "handlers/date_token.hpp"

#include <array>
#include <chrono>
#include <utility>
#include <vector>

namespace bense::handlers {
namespace {

namespace chr = std::chrono;
using Kind = DateTokenKind;

constexpr auto kBeijingOffset = chr::hours{8};
constexpr std::string_view kHowTo = "没看懂时间，请这样写：12月5日 14:30";
constexpr std::string_view kNeedTime = "请写上几点开始，例如：12月5日 14:30";
constexpr std::string_view kPast = "这个时间已经过去了，请写一个还没到的时间，例如：明天上午9点";
constexpr std::string_view kEndBeforeStart = "结束时间要晚于开始时间，例如：14:30-16:00";
constexpr std::string_view kBadWeekday = "请写清楚星期几（周一到周日），例如：下周三 14:30";
constexpr std::array<std::string_view, 8> kWeekdayNames = {"",   "一", "二", "三",
                                                           "四", "五", "六", "日"};

//------------------------------------------------------------------------------------------------
// Grammar: [day] clock [(到|至|-|~) clock], where
//   day   = day_offset | week weekday | [N年] N月 N [日|号] [note] | N (日|号) [note]
//         | NNNN sep N sep N [note] | N sep N [note]           (sep one of . / -)
//   note  = [(] 周|星期|礼拜 weekday [)]                        checked against the date
//   clock = [period] N (: N | 点 [半 | 整 | N 刻 | N [分]])      a bare N only before a range

struct Day {
    enum Form { none, offset, of_week, date, day_of_month } form = none;
    int days = 0;                    // offset
    WeekKind week = kComingWeekday;  // of_week
    int weekday = 0;               // of_week: 1 (Monday) .. 7; date: the one noted beside it, or 0
    int year = 0;                  // date: 0 when not typed
    int month = 0;                 // date
    int day = 0;                   // date and day_of_month
    DayPeriod period = kNoPeriod;  // implied by 今晚 / 明早
    std::string_view period_text;  // 今晚
};

struct Clock {
    int hour = 0;
    int minute = 0;
    DayPeriod period = kNoPeriod;
    std::string_view period_text;  // 下午, for messages
    bool bare = false;             // a number without 点 or ':' (the 2 of 下午2-4点)
    bool padded = false;           // the hour typed with a leading zero (06:30): a 24-hour clock
};

struct Phrase {
    Day day;
    Clock start;
    std::optional<Clock> end;
};

class Parser {
public:
    explicit Parser(std::vector<DateToken> tokens) : t_(std::move(tokens)) {}

    // The phrase, or the reason it is not one.
    result<Phrase, std::string> phrase() {
        Phrase p;
        if (!day(p.day)) {
            return reason();
        }
        if (at_end()) {
            return std::string(p.day.form == Day::none ? kHowTo : kNeedTime);
        }
        if (!clock(p.start, p.day.period, p.day.period_text)) {
            return reason();
        }
        if (take(Kind::range) || take_sep('-')) {
            p.end.emplace();
            if (!clock(*p.end, kNoPeriod, {}) || p.end->bare) {
                return reason();
            }
        }
        if (!at_end() || (p.start.bare && !p.end)) {
            return reason();
        }
        return p;
    }

private:
    bool at_end() const { return i_ == t_.size(); }
    bool is(Kind k, std::size_t ahead = 0) const {
        return i_ + ahead < t_.size() && t_[i_ + ahead].kind == k;
    }
    DateToken const* take(Kind k) { return is(k) ? &t_[i_++] : nullptr; }
    bool take_sep(char c) { return is(Kind::sep) && t_[i_].value == c && take(Kind::sep); }
    std::string reason() const { return std::string(error_.empty() ? kHowTo : error_); }

    // False when the tokens start like a day but are not one; no day at all is fine.
    bool day(Day& d) {
        if (auto const* o = take(Kind::day_offset)) {
            d.form = Day::offset;
            d.days = o->value;
            d.period = static_cast<DayPeriod>(o->extra);
            d.period_text = o->text;
            return true;
        }
        if (auto const* w = take(Kind::week)) {
            d.form = Day::of_week;
            d.week = static_cast<WeekKind>(w->value);
            return weekday(d.weekday);
        }
        if (is(Kind::number) &&
            (is(Kind::year, 1) || is(Kind::month, 1) || is(Kind::day_mark, 1))) {
            return written_date(d) && note(d);
        }
        if (is(Kind::number) && is(Kind::sep, 1) && is(Kind::number, 2)) {
            return !numeric_date(d) || note(d);
        }
        return true;
    }

    // [NNNN年] N月 N [日|号], or N (日|号) alone.
    bool written_date(Day& d) {
        if (is(Kind::year, 1)) {
            if (t_[i_].extra != 4 || !is(Kind::number, 2) || !is(Kind::month, 3)) {
                return false;
            }
            d.year = t_[i_].value;
            i_ += 2;
        }
        d.form = is(Kind::month, 1) ? Day::date : Day::day_of_month;
        if (d.form == Day::date) {
            d.month = t_[i_].value;
            i_ += 2;
        }
        auto const* n = take(Kind::number);
        d.day = n != nullptr ? n->value : 0;
        take(Kind::day_mark);
        return n != nullptr;
    }

    // NNNN-N-N or N-N, with one of . / - throughout; false (nothing read) for a time range
    // such as 9-11点, which is no 9月11日.
    bool numeric_date(Day& d) {
        int const sep = t_[i_ + 1].value;
        bool const with_year =
            t_[i_].extra == 4 && is(Kind::sep, 3) && t_[i_ + 3].value == sep && is(Kind::number, 4);
        if (!with_year && (is(Kind::hour_mark, 3) || is(Kind::colon, 3) || is(Kind::half, 3))) {
            return false;
        }
        d.form = Day::date;
        if (with_year) {
            d.year = t_[i_].value;
            i_ += 2;
        }
        d.month = t_[i_].value;
        d.day = t_[i_ + 2].value;
        i_ += 3;
        return true;
    }

    // The weekday after 周/星期/礼拜: 一..六 (or 1..6), 日 or 天 (7).
    bool weekday(int& w) {
        if (auto const* n = take(Kind::number); n != nullptr && n->value >= 1 && n->value <= 6) {
            w = n->value;
            return true;
        }
        if (is(Kind::sunday) || (is(Kind::day_mark) && t_[i_].text == "日")) {
            ++i_;
            w = 7;
            return true;
        }
        error_ = kBadWeekday;
        return false;
    }

    // An optional weekday beside a date, "12月5日(周六)", kept so that it can be checked.
    bool note(Day& d) {
        bool const open = take(Kind::open) != nullptr;
        if (is(Kind::week) && t_[i_].value == kComingWeekday) {
            ++i_;
            if (!weekday(d.weekday)) {
                return false;
            }
        } else if (open) {
            return false;
        }
        return !open || take(Kind::close) != nullptr;
    }

    // `implied` is the period of 今晚/明早, used when none is typed.
    bool clock(Clock& c, DayPeriod implied, std::string_view implied_text) {
        if (auto const* p = take(Kind::period)) {
            c.period = static_cast<DayPeriod>(p->value);
            c.period_text = p->text;
        } else {
            c.period = implied;
            c.period_text = implied_text;
        }
        auto const* h = take(Kind::number);
        if (h == nullptr) {
            error_ = at_end() && c.period != kNoPeriod ? kNeedTime : std::string_view{};
            return false;
        }
        c.hour = h->value;
        c.padded = h->text.size() > 1 && h->text.front() == '0';
        if (take(Kind::colon)) {
            auto const* m = take(Kind::number);
            c.minute = m != nullptr ? m->value : 0;
            return m != nullptr;
        }
        if (!take(Kind::hour_mark)) {
            c.bare = true;
            return true;
        }
        if (take(Kind::half)) {
            c.minute = 30;
        } else if (auto const* m = take(Kind::number)) {
            c.minute = m->value;
            if (take(Kind::quarter)) {
                c.minute = 15 * m->value;
                return m->value >= 1 && m->value <= 3;
            }
            take(Kind::minute_mark);
        } else {
            take(Kind::sharp);
        }
        return true;
    }

    std::vector<DateToken> t_;
    std::size_t i_ = 0;
    std::string_view error_;  // the reason when more precise than kHowTo
};

//------------------------------------------------------------------------------------------------
// Resolving against today (Beijing)

std::string num(int v) { return std::to_string(v); }

int iso_weekday(chr::sys_days day) { return static_cast<int>(chr::weekday{day}.iso_encoding()); }

std::int64_t unix_of(chr::sys_days day, int minutes) {
    chr::sys_seconds const t = day + chr::minutes{minutes} - kBeijingOffset;
    return t.time_since_epoch().count();
}

// The date y-m-d, or why there is none. `show_year` names the year in the message (2月29日).
result<chr::sys_days, std::string> civil(int y, int m, int d, bool show_year) {
    chr::year_month_day const r{chr::year{y}, chr::month(static_cast<unsigned>(m)),
                                chr::day(static_cast<unsigned>(d))};
    if (!r.ok()) {
        return "日期不对：" + (show_year ? num(y) + "年" : "") + num(m) + "月没有" + num(d) + "日";
    }
    return chr::sys_days{r};
}

// The Beijing day `d` names, counted from `today`; a date without a year is its next occurrence.
result<chr::sys_days, std::string> day_of(Day const& d, chr::sys_days today) {
    chr::year_month_day const t{today};
    int const ty = static_cast<int>(t.year());
    int const tm = static_cast<int>(static_cast<unsigned>(t.month()));
    int const td = static_cast<int>(static_cast<unsigned>(t.day()));
    int const wd = iso_weekday(today);
    if (d.form == Day::none || d.form == Day::offset) {
        return today + chr::days{d.days};
    }
    if (d.form == Day::of_week) {
        if (d.week == kComingWeekday) {
            return today + chr::days{(d.weekday - wd + 7) % 7};
        }
        auto const r = today + chr::days{d.weekday - wd + (d.week == kNextWeek ? 7 : 0)};
        if (r < today) {
            auto const name = std::string(kWeekdayNames[d.weekday]);
            return "本周" + name + "已经过去了，请写“下周" + name + "”或具体日期";
        }
        return r;
    }
    if (d.form == Day::date && (d.month < 1 || d.month > 12)) {
        return "日期不对：没有" + num(d.month) + "月";
    }
    if (d.day < 1 || d.day > 31) {
        return "日期不对：没有" + num(d.day) + "日";
    }
    int y = d.year;
    int m = d.month;
    if (d.form == Day::day_of_month) {  // this month, or the next once the day has passed
        y = d.day < td && tm == 12 ? ty + 1 : ty;
        m = d.day < td ? tm % 12 + 1 : tm;
    } else if (y == 0) {  // this year, or the next once the day has passed (today counts)
        y = d.month < tm || (d.month == tm && d.day < td) ? ty + 1 : ty;
    }
    auto const r = civil(y, m, d.day, m == 2 && d.day == 29);
    if (r && d.weekday != 0 && iso_weekday(*r) != d.weekday) {
        chr::year_month_day const ymd{*r};
        return num(static_cast<int>(static_cast<unsigned>(ymd.month()))) + "月" +
               num(static_cast<int>(static_cast<unsigned>(ymd.day()))) + "日是周" +
               std::string(kWeekdayNames[iso_weekday(*r)]) + "，日期和星期对不上，请再看一下";
    }
    return r;
}

// Minutes after midnight of `c` with its period applied, or why it is no time of day.
// 上午 takes 0..12; 中午 11..15, with 1..3 meaning 13..15; 下午 and 晚上 add 12 to 1..11, and
// 晚上12点 (midnight or noon?) is refused. Without a period, 1..6 is the afternoon (13..18):
// a branch activity is never at 3 a.m.; only a leading zero (06:30) keeps the early hour.
result<int, std::string> minutes_of(Clock const& c) {
    int h = c.hour;
    if (h > 23) {
        return "时间不对：没有" + num(h) + "点";
    }
    if (c.minute > 59) {
        return "时间不对：没有" + num(c.minute) + "分";
    }
    if (c.period == kNoPeriod && !c.padded && h >= 1 && h <= 6) {
        h += 12;
    }
    h += (c.period >= kAfternoon || (c.period == kNoon && h <= 3)) && h >= 1 && h <= 11 ? 12 : 0;
    bool const ok = c.period == kNoPeriod || (c.period == kMorning && h <= 12) ||
                    (c.period == kNoon && h >= 11 && h <= 15) ||
                    (c.period == kAfternoon && h != 0) ||
                    (c.period == kEvening && h != 0 && h != 12);
    if (!ok) {
        return "时间不对：" + std::string(c.period_text) + "没有" + num(c.hour) + "点";
    }
    return h * 60 + c.minute;
}

// The end of a range in minutes. Without a period of its own the end takes the start's
// (下午2点到4点), and an end at or before the start moves to the afternoon (11点到1点).
result<int, std::string> end_minutes(Clock const& start, int start_minutes, Clock end) {
    bool const own_period = end.period != kNoPeriod;
    if (!own_period && end.hour <= 12) {
        end.period = start.period;
        end.period_text = start.period_text;
    }
    auto m = minutes_of(end);
    if (!m) {
        return m;
    }
    if (!own_period && *m <= start_minutes && end.hour < 12 && end.period < kAfternoon) {
        *m += 12 * 60;
    }
    if (*m <= start_minutes) {
        return std::string(kEndBeforeStart);
    }
    return m;
}

}  // namespace

result<ParsedTime, std::string> parse_date_phrase(std::string_view text, std::int64_t now) {
    auto tokens = tokenize_date_phrase(text);
    if (!tokens) {
        return std::string(kHowTo);
    }
    auto const phrase = Parser(std::move(*tokens)).phrase();
    if (!phrase) {
        return phrase.error();
    }
    auto const today = chr::floor<chr::days>(chr::sys_seconds{chr::seconds{now}} + kBeijingOffset);
    auto day = day_of(phrase->day, today);
    if (!day) {
        return day.error();
    }
    auto const start = minutes_of(phrase->start);
    if (!start) {
        return start.error();
    }
    // 周五 typed on a Friday after the time means next Friday.
    if (phrase->day.form == Day::of_week && phrase->day.week == kComingWeekday &&
        unix_of(*day, *start) < now) {
        *day += chr::days{7};
    }
    ParsedTime out{unix_of(*day, *start), std::nullopt};
    if (out.start < now) {
        return std::string(kPast);
    }
    if (phrase->end) {
        auto const end = end_minutes(phrase->start, *start, *phrase->end);
        if (!end) {
            return end.error();
        }
        out.end = unix_of(*day, *end);
    }
    return out;
}

}  // namespace bense::handlers

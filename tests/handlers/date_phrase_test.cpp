// The activity date/time phrases: every form of day, time and range at a fixed `now`
// (Tuesday 2026-12-01 10:00 Beijing, and New Year's Eve 20:00), and each error's exact text.
#include "handlers/date_phrase.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <initializer_list>
#include <string>

using namespace bense::handlers;

namespace {

// Unix seconds of a Beijing (UTC+8) civil time.
std::int64_t beijing(int y, int m, int d, int h, int min) {
    using namespace std::chrono;
    auto const date =
        sys_days{year{y} / month(static_cast<unsigned>(m)) / day(static_cast<unsigned>(d))};
    return duration_cast<seconds>(date.time_since_epoch() + hours{h} + minutes{min} - hours{8})
        .count();
}

std::int64_t const kTuesday = beijing(2026, 12, 1, 10, 0);
std::int64_t const kNewYearsEve = beijing(2026, 12, 31, 20, 0);  // a Thursday

std::string const kHowTo = "没看懂时间，请这样写：12月5日 14:30";
std::string const kNeedTime = "请写上几点开始，例如：12月5日 14:30";
std::string const kPast = "这个时间已经过去了，请写一个还没到的时间，例如：明天上午9点";
std::string const kEndBeforeStart = "结束时间要晚于开始时间，例如：14:30-16:00";
std::string const kBadWeekday = "请写清楚星期几（周一到周日），例如：下周三 14:30";

ParsedTime parsed(std::string const& text, std::int64_t now = kTuesday) {
    auto r = parse_date_phrase(text, now);
    INFO(text << " -> " << (r.has_value() ? std::string() : r.error()));
    REQUIRE(r.has_value());
    return *r;
}

std::int64_t start_of(std::string const& text, std::int64_t now = kTuesday) {
    auto const p = parsed(text, now);
    INFO(text);
    CHECK_FALSE(p.end.has_value());
    return p.start;
}

std::string error_of(std::string const& text, std::int64_t now = kTuesday) {
    INFO(text);
    auto r = parse_date_phrase(text, now);
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

}  // namespace

TEST_CASE("date phrase: the test's own Beijing-time helper", "[date_phrase]") {
    // From `TZ=Asia/Shanghai date -d '2026-12-01 10:00' +%s`.
    CHECK(kTuesday == 1796090400);
    CHECK(kNewYearsEve == 1798718400);
}

TEST_CASE("date phrase: relative days", "[date_phrase]") {
    CHECK(start_of("今天 14:30") == beijing(2026, 12, 1, 14, 30));
    CHECK(start_of("今天10:00") == kTuesday);  // exactly now is not past
    CHECK(start_of("明天上午9点") == beijing(2026, 12, 2, 9, 0));
    CHECK(start_of("明日 9点") == beijing(2026, 12, 2, 9, 0));
    CHECK(start_of("后天9点") == beijing(2026, 12, 3, 9, 0));
    CHECK(start_of("大后天 9点") == beijing(2026, 12, 4, 9, 0));
    CHECK(start_of("今晚8点") == beijing(2026, 12, 1, 20, 0));
    CHECK(start_of("明早8点半") == beijing(2026, 12, 2, 8, 30));
    CHECK(start_of("明晚7点") == beijing(2026, 12, 2, 19, 0));
    CHECK(start_of("明晚19:30") == beijing(2026, 12, 2, 19, 30));
}

TEST_CASE("date phrase: weekdays, counted in Monday-based weeks", "[date_phrase]") {
    // Today is Tuesday 12-01; this week runs 11-30..12-06, next week 12-07..12-13.
    CHECK(start_of("周五 9点") == beijing(2026, 12, 4, 9, 0));
    CHECK(start_of("星期三 9点") == beijing(2026, 12, 2, 9, 0));
    CHECK(start_of("礼拜三9点") == beijing(2026, 12, 2, 9, 0));
    CHECK(start_of("周3 9点") == beijing(2026, 12, 2, 9, 0));
    CHECK(start_of("周一 9点") == beijing(2026, 12, 7, 9, 0));
    CHECK(start_of("周日 9点") == beijing(2026, 12, 6, 9, 0));
    CHECK(start_of("星期天 9点") == beijing(2026, 12, 6, 9, 0));
    CHECK(start_of("礼拜天 9点") == beijing(2026, 12, 6, 9, 0));
    CHECK(start_of("本周五 9点") == beijing(2026, 12, 4, 9, 0));
    CHECK(start_of("这周五 9点") == beijing(2026, 12, 4, 9, 0));
    CHECK(start_of("这个星期五 9点") == beijing(2026, 12, 4, 9, 0));
    CHECK(start_of("本周日 9点") == beijing(2026, 12, 6, 9, 0));
    CHECK(start_of("下周三 9点") == beijing(2026, 12, 9, 9, 0));
    CHECK(start_of("下星期三9点") == beijing(2026, 12, 9, 9, 0));
    CHECK(start_of("下礼拜三 9点") == beijing(2026, 12, 9, 9, 0));
    CHECK(start_of("下个星期一 9点") == beijing(2026, 12, 7, 9, 0));
    CHECK(start_of("下周日 9点") == beijing(2026, 12, 13, 9, 0));
    CHECK(start_of("下周二 9点") == beijing(2026, 12, 8, 9, 0));
    CHECK(start_of("下周三十点半") == beijing(2026, 12, 9, 10, 30));  // 周三 + 十点, not 周三十
    CHECK(start_of("周六十点") == beijing(2026, 12, 5, 10, 0));

    SECTION("today's weekday: today while the time is ahead, else a week later") {
        CHECK(start_of("周二 11点") == beijing(2026, 12, 1, 11, 0));
        CHECK(start_of("星期二 9点") == beijing(2026, 12, 8, 9, 0));
        CHECK(start_of("这周二 11点") == beijing(2026, 12, 1, 11, 0));
        CHECK(error_of("这周二 9点") == kPast);
    }
    SECTION("a day of this week already gone") {
        CHECK(error_of("本周一 9点") == "本周一已经过去了，请写“下周一”或具体日期");
        CHECK(error_of("这周一 15:00") == "本周一已经过去了，请写“下周一”或具体日期");
    }
    SECTION("on a Sunday, next week starts tomorrow") {
        auto const sunday = beijing(2026, 12, 6, 10, 0);
        CHECK(start_of("下周一 9点", sunday) == beijing(2026, 12, 7, 9, 0));
        CHECK(start_of("周一 9点", sunday) == beijing(2026, 12, 7, 9, 0));
        CHECK(start_of("本周日 20:00", sunday) == beijing(2026, 12, 6, 20, 0));
        CHECK(start_of("下周日 9点", sunday) == beijing(2026, 12, 13, 9, 0));
    }
}

TEST_CASE("date phrase: dates with and without a year", "[date_phrase]") {
    auto const dec5 = beijing(2026, 12, 5, 14, 30);
    for (auto const* text :
         {"12月5日 14:30", "12月5号 14:30", "12月5日14:30", "12月5 14:30", "12.5 14:30",
          "12/5 14:30", "12-5 14:30", "2026年12月5日 14:30", "2026-12-05 14:30", "2026/12/5 14:30",
          "2026.12.5 14:30", "十二月五日下午两点半", "二〇二六年十二月五日 下午2点半", "5号 14:30",
          "5日下午2点30分", "12 月 5 日 14 : 30", "12月5日，14:30"}) {
        CHECK(start_of(text) == dec5);
    }
    SECTION("a date without a year is its next occurrence") {
        CHECK(start_of("12月1日 11点") == beijing(2026, 12, 1, 11, 0));  // today
        CHECK(start_of("11月30日 9点") == beijing(2027, 11, 30, 9, 0));
        CHECK(start_of("1月2日 9点") == beijing(2027, 1, 2, 9, 0));
        CHECK(start_of("1号 11点") == beijing(2026, 12, 1, 11, 0));  // today
        CHECK(error_of("1号 9点") == kPast);                         // today, already gone
        CHECK(start_of("31号 9点") == beijing(2026, 12, 31, 9, 0));
        CHECK(start_of("三十一日 9点") == beijing(2026, 12, 31, 9, 0));
        CHECK(start_of("2027年2月1日 9点") == beijing(2027, 2, 1, 9, 0));
        CHECK(start_of("2028年2月29日 9点") == beijing(2028, 2, 29, 9, 0));
    }
    SECTION("a day of the month alone is this month's, or next month's once it has passed") {
        auto const nov20 = beijing(2026, 11, 20, 10, 0);
        CHECK(start_of("25号 9点", nov20) == beijing(2026, 11, 25, 9, 0));
        CHECK(start_of("10号 9点", nov20) == beijing(2026, 12, 10, 9, 0));
        CHECK(error_of("31号 9点", nov20) == "日期不对：11月没有31日");
        CHECK(error_of("32号 9点", nov20) == "日期不对：没有32日");
    }
    SECTION("a weekday beside a date must agree with it") {
        CHECK(start_of("12月5日(周六) 14:30") == dec5);
        CHECK(start_of("12月5日（星期六）14:30") == dec5);
        CHECK(start_of("12月5日周六14:30") == dec5);
        CHECK(start_of("2026-12-05 周六 14:30") == dec5);
        CHECK(error_of("12月5日(周五) 14:30") == "12月5日是周六，日期和星期对不上，请再看一下");
        CHECK(error_of("12月6日 星期一 9点") == "12月6日是周日，日期和星期对不上，请再看一下");
    }
}

TEST_CASE("date phrase: times of day", "[date_phrase]") {
    auto const tomorrow = [](int h, int min) { return beijing(2026, 12, 2, h, min); };
    CHECK(start_of("明天9点") == tomorrow(9, 0));
    CHECK(start_of("明天九点") == tomorrow(9, 0));
    CHECK(start_of("明天9点半") == tomorrow(9, 30));
    CHECK(start_of("明天9点30") == tomorrow(9, 30));
    CHECK(start_of("明天9点30分") == tomorrow(9, 30));
    CHECK(start_of("明天9点05") == tomorrow(9, 5));
    CHECK(start_of("明天九点零五分") == tomorrow(9, 5));
    CHECK(start_of("明天9点整") == tomorrow(9, 0));
    CHECK(start_of("明天8点钟") == tomorrow(8, 0));
    CHECK(start_of("明天十点一刻") == tomorrow(10, 15));
    CHECK(start_of("明天9点三刻") == tomorrow(9, 45));
    CHECK(start_of("明天14时30分") == tomorrow(14, 30));
    CHECK(start_of("明天9:30") == tomorrow(9, 30));
    CHECK(start_of("明天09:30") == tomorrow(9, 30));
    CHECK(start_of("明天 14:30") == tomorrow(14, 30));
    CHECK(start_of("明天0:00") == tomorrow(0, 0));
    CHECK(start_of("明天上午9点") == tomorrow(9, 0));
    CHECK(start_of("明天早上9点") == tomorrow(9, 0));
    CHECK(start_of("明天早晨7点半") == tomorrow(7, 30));
    CHECK(start_of("明天中午12点") == tomorrow(12, 0));
    CHECK(start_of("明天中午1点") == tomorrow(13, 0));
    CHECK(start_of("明天中午11点半") == tomorrow(11, 30));
    CHECK(start_of("明天下午3点") == tomorrow(15, 0));
    CHECK(start_of("明天下午2点半") == tomorrow(14, 30));
    CHECK(start_of("明天下午两点半") == tomorrow(14, 30));
    CHECK(start_of("明天下午12点") == tomorrow(12, 0));
    CHECK(start_of("明天下午14点") == tomorrow(14, 0));
    CHECK(start_of("明天下午3:30") == tomorrow(15, 30));
    CHECK(start_of("明天晚上7点") == tomorrow(19, 0));
    CHECK(start_of("明天傍晚6点") == tomorrow(18, 0));
    CHECK(start_of("明天晚上11点") == tomorrow(23, 0));

    SECTION("a time without a day is today, if still ahead") {
        CHECK(start_of("14:30") == beijing(2026, 12, 1, 14, 30));
        CHECK(start_of("下午3点") == beijing(2026, 12, 1, 15, 0));
        CHECK(start_of("十点") == kTuesday);
        CHECK(error_of("9点") == kPast);
        CHECK(error_of("上午9:59") == kPast);
    }
}

TEST_CASE("date phrase: ranges give an end on the same day", "[date_phrase]") {
    struct Case {
        char const* text;
        std::int64_t start;
        std::int64_t end;
    };
    auto const today = [](int h, int min) { return beijing(2026, 12, 1, h, min); };
    auto const tomorrow = [](int h, int min) { return beijing(2026, 12, 2, h, min); };
    for (auto const& c : std::initializer_list<Case>{
             {"14:30-16:00", today(14, 30), today(16, 0)},
             {"下午2点到4点", today(14, 0), today(16, 0)},
             {"下午2点到下午4点", today(14, 0), today(16, 0)},
             {"下午2-4点", today(14, 0), today(16, 0)},
             {"明天9点至11点半", tomorrow(9, 0), tomorrow(11, 30)},
             {"明天9:00~11:00", tomorrow(9, 0), tomorrow(11, 0)},
             {"明天 9:00 ～ 11:00", tomorrow(9, 0), tomorrow(11, 0)},
             {"明天9-11点", tomorrow(9, 0), tomorrow(11, 0)},
             {"14-16点", today(14, 0), today(16, 0)},
             {"明天上午9点到下午3点", tomorrow(9, 0), tomorrow(15, 0)},
             {"明天上午9点到14点", tomorrow(9, 0), tomorrow(14, 0)},
             {"明天上午10点到12点", tomorrow(10, 0), tomorrow(12, 0)},
             {"明天11点到1点", tomorrow(11, 0), tomorrow(13, 0)},
             {"明天中午12点到2点", tomorrow(12, 0), tomorrow(14, 0)},
             {"明晚7点到9点", tomorrow(19, 0), tomorrow(21, 0)},
             {"12月5日 14:30-16:00", beijing(2026, 12, 5, 14, 30), beijing(2026, 12, 5, 16, 0)},
             {"12-5 14:30-16:00", beijing(2026, 12, 5, 14, 30), beijing(2026, 12, 5, 16, 0)},
             {"下周三下午两点到四点半", beijing(2026, 12, 9, 14, 0), beijing(2026, 12, 9, 16, 30)},
         }) {
        auto const p = parsed(c.text);
        INFO(c.text);
        CHECK(p.start == c.start);
        REQUIRE(p.end.has_value());
        CHECK(*p.end == c.end);
    }
    SECTION("the end must be after the start") {
        CHECK(error_of("明天下午4点到2点") == kEndBeforeStart);
        CHECK(error_of("明天16:00-14:00") == kEndBeforeStart);
        CHECK(error_of("明天14:30-14:30") == kEndBeforeStart);
        CHECK(error_of("明天晚上9点到1点") == kEndBeforeStart);
    }
    SECTION("the end is checked like the start") {
        CHECK(error_of("明天14:30-25:00") == "时间不对：没有25点");
        CHECK(error_of("明天下午2点到3点61分") == "时间不对：没有61分");
        CHECK(error_of("明天上午9点到晚上12点") == "时间不对：晚上没有12点");
    }
}

TEST_CASE("date phrase: a day without a time asks for the time", "[date_phrase]") {
    for (auto const* text : {"明天", "今晚", "12月5日", "12月5号", "2026-12-05", "12.5", "下周三",
                             "周五", "明天下午", "12月5日 上午", "12月5日(周六)"}) {
        CHECK(error_of(text) == kNeedTime);
    }
}

TEST_CASE("date phrase: impossible dates and times name the problem", "[date_phrase]") {
    CHECK(error_of("2月30日 9点") == "日期不对：2月没有30日");
    CHECK(error_of("11月31日 9点") == "日期不对：11月没有31日");
    CHECK(error_of("13月1日 9点") == "日期不对：没有13月");
    CHECK(error_of("0月1日 9点") == "日期不对：没有0月");
    CHECK(error_of("12月32日 9点") == "日期不对：没有32日");
    CHECK(error_of("12月0日 9点") == "日期不对：没有0日");
    CHECK(error_of("2027年2月29日 9点") == "日期不对：2027年2月没有29日");
    CHECK(error_of("2月29日 9点") == "日期不对：2027年2月没有29日");  // the next 2月 is in 2027
    CHECK(error_of("明天25:00") == "时间不对：没有25点");
    CHECK(error_of("明天24点") == "时间不对：没有24点");
    CHECK(error_of("明天9点61分") == "时间不对：没有61分");
    CHECK(error_of("明天9:60") == "时间不对：没有60分");
    CHECK(error_of("明天上午14点") == "时间不对：上午没有14点");
    CHECK(error_of("明天中午5点") == "时间不对：中午没有5点");
    CHECK(error_of("明天晚上12点") == "时间不对：晚上没有12点");
    CHECK(error_of("明晚0点") == "时间不对：明晚没有0点");
    CHECK(error_of("下周八 9点") == kBadWeekday);
    CHECK(error_of("周0 9点") == kBadWeekday);
    CHECK(error_of("下周 9点") == kBadWeekday);
}

TEST_CASE("date phrase: a start in the past is refused", "[date_phrase]") {
    CHECK(error_of("2025年12月5日 9点") == kPast);
    CHECK(error_of("12月1日 9点") == kPast);  // today, already gone: not next year
    CHECK(error_of("今天上午9点半") == kPast);
    CHECK(error_of("9:00-11:00") == kPast);
}

TEST_CASE("date phrase: anything else is not understood", "[date_phrase]") {
    for (auto const* text : {"",
                             "   ",
                             "开会",
                             "明天开会",
                             "9",
                             "明天 9",
                             "明天9点后天",
                             "12345 9点",
                             "十十点",
                             "一百点",
                             "一一点",
                             "明天两两点",
                             "明天9点5刻",
                             "12月5日(周六 9点",
                             "12月 9点",
                             "明天9点到",
                             "9:",
                             "明天9点-",
                             "14:30-16",
                             "2026年 9点",
                             "26年12月5日 9点",
                             "12月5日12月6日 9点",
                             "明天9点 abc",
                             "明天 9 点 30 分 钟"}) {
        CHECK(error_of(text) == kHowTo);
    }
}

TEST_CASE("date phrase: around New Year", "[date_phrase]") {
    // 2026-12-31 20:00, a Thursday.
    CHECK(start_of("1月2日 9点", kNewYearsEve) == beijing(2027, 1, 2, 9, 0));
    CHECK(start_of("明天9点", kNewYearsEve) == beijing(2027, 1, 1, 9, 0));
    CHECK(start_of("后天9点", kNewYearsEve) == beijing(2027, 1, 2, 9, 0));
    CHECK(start_of("1号 9点", kNewYearsEve) == beijing(2027, 1, 1, 9, 0));
    CHECK(start_of("周五 9点", kNewYearsEve) == beijing(2027, 1, 1, 9, 0));
    CHECK(start_of("下周一 9点", kNewYearsEve) == beijing(2027, 1, 4, 9, 0));
    CHECK(start_of("周四 19点", kNewYearsEve) == beijing(2027, 1, 7, 19, 0));
    CHECK(start_of("周四 21点", kNewYearsEve) == beijing(2026, 12, 31, 21, 0));
    CHECK(start_of("12月31日 21:00", kNewYearsEve) == beijing(2026, 12, 31, 21, 0));
    CHECK(start_of("20:00", kNewYearsEve) == kNewYearsEve);
    CHECK(start_of("12月30日 9点", kNewYearsEve) == beijing(2027, 12, 30, 9, 0));
    CHECK(start_of("2027-01-02 09:00", kNewYearsEve) == beijing(2027, 1, 2, 9, 0));
    CHECK(error_of("12月31日 19:00", kNewYearsEve) == kPast);
    CHECK(error_of("19:59", kNewYearsEve) == kPast);
    CHECK(error_of("本周三 21点", kNewYearsEve) == "本周三已经过去了，请写“下周三”或具体日期");
    auto const p = parsed("1月2日下午2点到4点", kNewYearsEve);
    CHECK(p.start == beijing(2027, 1, 2, 14, 0));
    CHECK(p.end == beijing(2027, 1, 2, 16, 0));
}

TEST_CASE("date phrase: 1 to 6 without a period word is the afternoon", "[date_phrase]") {
    auto const tomorrow = [](int h, int min) { return beijing(2026, 12, 2, h, min); };
    CHECK(start_of("明天3点") == tomorrow(15, 0));
    CHECK(start_of("明天三点半") == tomorrow(15, 30));
    CHECK(start_of("明天1点") == tomorrow(13, 0));
    CHECK(start_of("明天6:30") == tomorrow(18, 30));
    CHECK(start_of("12月5日 2:30") == beijing(2026, 12, 5, 14, 30));
    CHECK(start_of("3点") == beijing(2026, 12, 1, 15, 0));  // today, still ahead in the afternoon
    SECTION("a period word, a leading zero, 0 and 7 keep their hour") {
        CHECK(start_of("明天上午6点") == tomorrow(6, 0));
        CHECK(start_of("明早6点") == tomorrow(6, 0));
        CHECK(start_of("明天06:30") == tomorrow(6, 30));
        CHECK(start_of("明天0:30") == tomorrow(0, 30));
        CHECK(start_of("明天7点") == tomorrow(7, 0));
        CHECK(start_of("明天12点") == tomorrow(12, 0));
    }
    SECTION("ranges") {
        auto const p = parsed("明天3点到5点");
        CHECK(p.start == tomorrow(15, 0));
        CHECK(p.end == tomorrow(17, 0));
        auto const q = parsed("明天2-4点");
        CHECK(q.start == tomorrow(14, 0));
        CHECK(q.end == tomorrow(16, 0));
        auto const r = parsed("明天10点到4点");
        CHECK(r.end == tomorrow(16, 0));
    }
}

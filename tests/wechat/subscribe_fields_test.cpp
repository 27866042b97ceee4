// Unit tests for wechat/subscribe_fields: both sides of every length limit, the shapes of
// time, date and amount, the rules shared by every type, and truncate_thing.
#include "wechat/subscribe_fields.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using bense::wechat::check_subscribe_data;
using bense::wechat::SubscribeField;
using bense::wechat::truncate_thing;

namespace {

// "key: reason" for the single field, as a log line shows it, or "" when it passes.
std::string reason(std::string key, std::string value, std::vector<std::string> const& enums = {}) {
    auto problems = check_subscribe_data({{std::move(key), std::move(value)}}, enums);
    return problems.empty() ? std::string() : problems.front().key + ": " + problems.front().reason;
}

bool ok(std::string key, std::string value, std::vector<std::string> const& enums = {}) {
    return reason(std::move(key), std::move(value), enums).empty();
}

std::string repeat(std::string const& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

}  // namespace

TEST_CASE("subscribe: thing counts code points, CJK as one", "[wechat][subscribe]") {
    CHECK(ok("thing1", repeat("a", 20)));
    CHECK(reason("thing1", repeat("a", 21)) == "thing1: longer than 20 characters (21)");
    CHECK(ok("thing1", repeat("党", 20)));
    CHECK_FALSE(ok("thing1", repeat("党", 21)));
    CHECK(ok("thing1", repeat("党a", 10)));
    CHECK(ok("thing1", repeat("😀", 20)));  // four bytes, one character
    CHECK(ok("thing1", "周六 9:00 学习会，请带笔记本！"));
}

TEST_CASE("subscribe: number is digits with one optional decimal point", "[wechat][subscribe]") {
    CHECK(ok("number1", repeat("9", 32)));
    CHECK(reason("number1", repeat("9", 33)) == "number1: longer than 32 characters (33)");
    CHECK(ok("number1", "3.14"));
    CHECK(ok("number1", repeat("1", 30) + ".5"));
    CHECK_FALSE(ok("number1", repeat("1", 31) + ".5"));  // the point counts towards 32
    for (char const* bad : {"-1", "+1", "1.", ".5", "1.2.3", "1,000", "1e5", "１", "12 3"}) {
        INFO(bad);
        CHECK(reason("number1", bad) == "number1: only digits with at most one decimal point");
    }
}

TEST_CASE("subscribe: letter, symbol and character_string are ASCII only", "[wechat][subscribe]") {
    CHECK(ok("letter2", repeat("aZ", 16)));
    CHECK_FALSE(ok("letter2", repeat("a", 33)));
    CHECK(reason("letter2", "abc1") == "letter2: only ASCII letters");
    CHECK_FALSE(ok("letter2", "é"));
    CHECK_FALSE(ok("letter2", "a b"));

    CHECK(ok("symbol3", "!@#$%"));
    CHECK(reason("symbol3", "!@#$%^") == "symbol3: longer than 5 characters (6)");
    CHECK(reason("symbol3", "a") == "symbol3: only ASCII punctuation");
    CHECK_FALSE(ok("symbol3", "，"));

    CHECK(ok("character_string4", repeat("aB3-", 8)));
    CHECK_FALSE(ok("character_string4", repeat("aB3-", 8) + "x"));
    CHECK(ok("character_string4", "ORDER-2026/05#1"));
    CHECK(reason("character_string4", "A 1") ==
          "character_string4: only ASCII letters, digits and punctuation");
    CHECK_FALSE(ok("character_string4", "编号1"));
}

TEST_CASE("subscribe: time is 24-hour, optionally after a date, ranges with ~",
          "[wechat][subscribe]") {
    for (char const* good :
         {"15:01", "00:00", "23:59", "23:59:59", "2026年5月1日 15:01", "2026年05月01日 09:00",
          "2026-05-01 15:01", "2026/05/01 09:00:30", "2026.05.01 09:00", "15:01~17:30",
          "2026年5月1日 15:01~2026年5月1日 17:00", "2026-05-01 09:00~18:00"}) {
        INFO(good);
        CHECK(ok("time5", good));
    }
    CHECK(reason("time5", "25:00") == "time5: hour must be 00 to 23");
    CHECK(reason("time5", "24:00") == "time5: hour must be 00 to 23");
    CHECK(reason("time5", "12:60") == "time5: minutes and seconds must be 00 to 59");
    CHECK(reason("time5", "12:00:60") == "time5: minutes and seconds must be 00 to 59");
    CHECK(reason("time5", "2026-13-01 15:00") == "time5: month must be 1 to 12");
    CHECK(reason("time5", "15:01~25:00") == "time5: hour must be 00 to 23");
    for (char const* bad :
         {"9:05", "15:1", "15:01:", "1501", "2026-05-01", "15:01 ~ 17:30", "15:01~", "~15:01",
          "15:01~16:00~17:00", "2026-05-01  15:01", "2026-05-01T15:01", "下午3点", "15：01"}) {
        INFO(bad);
        CHECK(reason("time5", bad) == "time5: not a 24-hour time like 15:01 or 2026年5月1日 15:01");
    }
}

TEST_CASE("subscribe: date shapes, month and day ranges, ranges with ~", "[wechat][subscribe]") {
    for (char const* good :
         {"2026年5月1日", "2026年05月01日", "2026年12月31日", "2026-05-01", "2026/05/01",
          "2026.05.01", "2026-05-01 15:01", "2026年5月1日 15:01:30", "2026-05-01~2026-05-03",
          "2026年5月1日~2026年5月3日", "2026年2月30日"}) {
        INFO(good);
        CHECK(ok("date6", good));
    }
    CHECK(reason("date6", "2026-13-01") == "date6: month must be 1 to 12");
    CHECK(reason("date6", "2026-00-10") == "date6: month must be 1 to 12");
    CHECK(reason("date6", "2026年13月1日") == "date6: month must be 1 to 12");
    CHECK(reason("date6", "2026-05-32") == "date6: day must be 1 to 31");
    CHECK(reason("date6", "2026-05-00") == "date6: day must be 1 to 31");
    CHECK(reason("date6", "2026年5月32日") == "date6: day must be 1 to 31");
    CHECK(reason("date6", "2026-05-01 25:00") == "date6: hour must be 00 to 23");
    CHECK(reason("date6", "2026-05-01~2026-05-32") == "date6: day must be 1 to 31");
    for (char const* bad :
         {"26-05-01", "2026-5-1", "2026-05/01", "2026年5月1", "5月1日", "2026年5月", "15:01",
          "2026-05-01 ", "2026-05-01~", "2026-05-01 ~ 2026-05-02", "20260501", "２０２６-05-01"}) {
        INFO(bad);
        CHECK(reason("date6", bad) == "date6: not a date like 2026年5月1日 or 2026-05-01");
    }
}

TEST_CASE("subscribe: amount is one currency symbol, at most 10 digits, optional 元",
          "[wechat][subscribe]") {
    for (char const* good :
         {"¥12.50", "￥300元", "$5", "€0.99", "£1000", "¥1234567890", "¥12345678.90", "¥1.5元"}) {
        INFO(good);
        CHECK(ok("amount7", good));
    }
    CHECK(reason("amount7", "¥12345678901") == "amount7: more than 10 digits");
    CHECK(reason("amount7", "¥123456789.01") == "amount7: more than 10 digits");
    for (char const* bad : {"12.50", "100元", "¥", "¥12.", "¥.5", "¥-5", "¥¥5", "¥12元元", "¥1,000",
                            "RMB12", "¥ 12"}) {
        INFO(bad);
        CHECK(reason("amount7", bad) ==
              "amount7: not a currency symbol, digits with optional decimals and optional 元, like "
              "¥12.50");
    }
}

TEST_CASE("subscribe: phone_number is at most 17 digits and symbols", "[wechat][subscribe]") {
    CHECK(ok("phone_number8", "13800138000"));
    CHECK(ok("phone_number8", "+86-138-0013-8000"));  // 17
    CHECK(reason("phone_number8", "+86-138-0013-80001") ==
          "phone_number8: longer than 17 characters (18)");
    CHECK(ok("phone_number8", "(010) 1234 5678"));
    CHECK(reason("phone_number8", "138-abc") ==
          "phone_number8: only digits, +, -, spaces and parentheses");
    CHECK_FALSE(ok("phone_number8", "--"));
    CHECK_FALSE(ok("phone_number8", "１３８"));
}

TEST_CASE("subscribe: car_number allows CJK only first and last", "[wechat][subscribe]") {
    CHECK(ok("car_number9", "京A12345"));
    CHECK(ok("car_number9", "京AD12345"));  // 8, a new-energy plate
    CHECK(reason("car_number9", "京AD123456") == "car_number9: longer than 8 characters (9)");
    CHECK(ok("car_number9", "粤B1234学"));
    CHECK(ok("car_number9", "ABC12345"));
    CHECK_FALSE(ok("car_number9", "ABC123456"));
    CHECK(reason("car_number9", "京A1学345") ==
          "car_number9: CJK only first or last, otherwise ASCII letters and digits");
    CHECK_FALSE(ok("car_number9", "京A·12345"));
    CHECK_FALSE(ok("car_number9", "京A 12345"));
}

TEST_CASE("subscribe: name is 10 CJK or 20 letters, mixed counts as CJK", "[wechat][subscribe]") {
    CHECK(ok("name10", "张三"));
    CHECK(ok("name10", repeat("张", 10)));
    CHECK(reason("name10", repeat("张", 11)) == "name10: longer than 10 characters (11)");
    CHECK(ok("name10", repeat("a", 20)));
    CHECK(reason("name10", repeat("a", 21)) == "name10: longer than 20 characters (21)");
    CHECK(ok("name10", "John Smith"));
    CHECK(ok("name10", "张" + repeat("a", 9)));
    CHECK(reason("name10", "张" + repeat("a", 10)) == "name10: longer than 10 characters (11)");
    CHECK(ok("name10", "阿依古丽·买买提"));
    CHECK(ok("name10", "O'Neil-Smith Jr."));
    CHECK(reason("name10", "张三1") == "name10: only CJK, ASCII letters, spaces and · . - '");
    CHECK_FALSE(ok("name10", "·"));
}

TEST_CASE("subscribe: phrase is at most 5 CJK characters", "[wechat][subscribe]") {
    CHECK(ok("phrase11", "已完成"));
    CHECK(ok("phrase11", "审核已通过"));
    CHECK(reason("phrase11", "审核已经通过") == "phrase11: longer than 5 characters (6)");
    CHECK(reason("phrase11", "ok") == "phrase11: only CJK characters");
    CHECK_FALSE(ok("phrase11", "完成!"));
    CHECK_FALSE(ok("phrase11", "完 成"));
}

TEST_CASE("subscribe: enum must be one of the template's values", "[wechat][subscribe]") {
    std::vector<std::string> const values = {"已签到", "未签到"};
    CHECK(ok("enum12", "已签到", values));
    CHECK(reason("enum12", "迟到", values) == "enum12: not one of the template's enum values");
    CHECK_FALSE(ok("enum12", "已签到"));  // no values given: nothing can pass
}

TEST_CASE("subscribe: rules shared by every type", "[wechat][subscribe]") {
    for (char const* key :
         {"thing1", "number2", "letter3", "symbol4", "character_string5", "time6", "date7",
          "amount8", "phone_number9", "car_number10", "name11", "phrase12", "enum13"}) {
        INFO(key);
        CHECK(reason(key, "") == std::string(key) + ": value is empty");
        CHECK(reason(key, "a\nb") == std::string(key) + ": newline or control character");
        CHECK(reason(key, "\xE6\x88") == std::string(key) + ": value is not valid UTF-8");
    }
    std::vector<std::string> const controls = {"a\rb",         "a\tb",  std::string("a\0b", 3),
                                               "a\x1f",        "a\x7f", "a\xC2\x85",
                                               "a\xE2\x80\xA8"};  // DEL, NEL, U+2028
    for (auto const& bad : controls) {
        CHECK(reason("thing1", bad) == "thing1: newline or control character");
    }
    CHECK(reason("thing1", "\xC0\xAF") == "thing1: value is not valid UTF-8");      // overlong
    CHECK(reason("thing1", "\xED\xA0\x80") == "thing1: value is not valid UTF-8");  // surrogate
}

TEST_CASE("subscribe: keys must be a known <type><n>", "[wechat][subscribe]") {
    CHECK(reason("thing", "x") == "thing: key is not <type><n>, like thing1");
    CHECK(reason("12", "x") == "12: key is not <type><n>, like thing1");
    CHECK(reason("", "x") == ": key is not <type><n>, like thing1");
    CHECK(reason("thing1a", "x") == "thing1a: key is not <type><n>, like thing1");
    CHECK(reason("Thing1", "x") == "Thing1: unknown type \"Thing\"");
    CHECK(reason("foo3", "x") == "foo3: unknown type \"foo\"");
    CHECK(reason("thing_1", "x") == "thing_1: unknown type \"thing_\"");
    CHECK(ok("thing15", "x"));
}

TEST_CASE("subscribe: problems come per field, in order, with a Chinese message",
          "[wechat][subscribe]") {
    std::vector<SubscribeField> const data = {{"thing1", repeat("长", 21)},
                                              {"time2", "2026-05-01 09:00"},
                                              {"phrase3", "abc"},
                                              {"thing1", "again"}};
    auto problems = check_subscribe_data(data);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].key == "thing1");
    CHECK(problems[0].reason == "longer than 20 characters (21)");
    CHECK(problems[0].message_zh == "thing1：超过20个字（现有21个）");
    CHECK(problems[1].key == "phrase3");
    CHECK(problems[1].message_zh == "phrase3：只能是汉字");
    CHECK(problems[2].key == "thing1");
    CHECK(problems[2].reason == "key given twice");
    CHECK(problems[2].message_zh == "thing1：字段重复");
    CHECK(check_subscribe_data({}).empty());
    CHECK(check_subscribe_data({{"thing1", "周三 学习"}, {"date2", "2026年5月1日"}}).empty());
}

TEST_CASE("subscribe: truncate_thing cuts on a code point and stays within the limit",
          "[wechat][subscribe]") {
    CHECK(truncate_thing("short") == "short");
    CHECK(truncate_thing(repeat("党", 20)) == repeat("党", 20));
    CHECK(truncate_thing(repeat("党", 21)) == repeat("党", 19) + "…");
    CHECK(truncate_thing(repeat("a", 30), 10) == repeat("a", 9) + "…");
    CHECK(truncate_thing("abc", 1) == "…");
    CHECK(truncate_thing("abc", 0) == "");
    CHECK(truncate_thing("") == "");
    CHECK(truncate_thing("第一行\n第二行") == "第一行 第二行");
    CHECK(truncate_thing("a\xE6\x88") == "a\xEF\xBF\xBD\xEF\xBF\xBD");  // one U+FFFD per bad byte
    for (std::string text :
         {repeat("学习", 30), repeat("😀x", 15), "第一行\r\n第二行" + repeat("长", 30)}) {
        auto const cut = truncate_thing(text);
        INFO(cut);
        CHECK(ok("thing1", cut));
        CHECK_FALSE(ok("thing1", cut + "x"));  // cut to exactly the limit
    }
}

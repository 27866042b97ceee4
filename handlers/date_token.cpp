// See date_token.hpp.
#include "handlers/date_token.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace bense::handlers {
namespace {

using Kind = DateTokenKind;

struct WordGroup {
    Kind kind;
    int value;
    int extra;
    std::string_view words;  // space-separated; where one word starts another, the longer first
};

constexpr WordGroup kWords[] = {
    {Kind::day_offset, 3, 0, "大后天"},
    {Kind::day_offset, 2, 0, "后天"},
    {Kind::day_offset, 1, 0, "明天 明日"},
    {Kind::day_offset, 0, 0, "今天 今日"},
    {Kind::day_offset, 0, kMorning, "今早"},
    {Kind::day_offset, 0, kEvening, "今晚"},
    {Kind::day_offset, 1, kMorning, "明早"},
    {Kind::day_offset, 1, kEvening, "明晚"},
    {Kind::week, kNextWeek, 0, "下个星期 下个礼拜 下星期 下礼拜 下周"},
    {Kind::week, kThisWeek, 0, "这个星期 这个礼拜 这星期 这礼拜 这周 本星期 本礼拜 本周"},
    {Kind::week, kComingWeekday, 0, "星期 礼拜 周"},
    {Kind::period, kMorning, 0, "上午 早上 早晨"},
    {Kind::period, kNoon, 0, "中午"},
    {Kind::period, kAfternoon, 0, "下午"},
    {Kind::period, kEvening, 0, "晚上 傍晚"},
    {Kind::year, 0, 0, "年"},
    {Kind::month, 0, 0, "月"},
    {Kind::day_mark, 0, 0, "日 号"},
    {Kind::sunday, 0, 0, "天"},
    {Kind::hour_mark, 0, 0, "点钟 点 时"},
    {Kind::minute_mark, 0, 0, "分"},
    {Kind::half, 0, 0, "半"},
    {Kind::quarter, 0, 0, "刻"},
    {Kind::sharp, 0, 0, "整"},
    {Kind::colon, 0, 0, ": ："},
    {Kind::sep, '.', 0, "."},
    {Kind::sep, '/', 0, "/"},
    {Kind::sep, '-', 0, "-"},
    {Kind::range, 0, 0, "到 至 ~ ～ — –"},
    {Kind::open, 0, 0, "( （"},
    {Kind::close, 0, 0, ") ）"},
};
// Dropped between tokens: the half-width space, tab, the ideographic space and commas.
constexpr std::string_view kBlanks[] = {" ", "\t", "\u3000", ",", "，"};

// 十 is 10; the others are digits. 两 is the 2 of 两点.
constexpr std::pair<std::string_view, int> kNumerals[] = {
    {"〇", 0}, {"零", 0}, {"一", 1}, {"二", 2}, {"两", 2}, {"三", 3},  {"四", 4},
    {"五", 5}, {"六", 6}, {"七", 7}, {"八", 8}, {"九", 9}, {"十", 10},
};
constexpr std::size_t kMaxDigits = 4;     // a year; longer runs are no date and could overflow
constexpr std::size_t kNumeralBytes = 3;  // every numeral is one three-byte UTF-8 character

std::optional<int> numeral_at(std::string_view s) {
    for (auto const& [text, value] : kNumerals) {
        if (s.starts_with(text)) {
            return value;
        }
    }
    return std::nullopt;
}

// A run of Chinese numerals: one digit, a year digit by digit (二〇二六 = 2026), minutes after
// a zero (零五 = 5), or with one 十 (十 = 10, 十二 = 12, 二十 = 20, 三十一 = 31). nullopt for
// anything else (十十, 二十〇, 一一).
std::optional<DateToken> chinese_number(std::vector<int> const& d, std::string_view text) {
    auto const ten = std::find(d.begin(), d.end(), 10);
    if (ten == d.end()) {
        if (d.size() != 1 && d.size() != 4 && !(d.size() == 2 && d.front() == 0)) {
            return std::nullopt;
        }
        int v = 0;
        for (int x : d) {
            v = v * 10 + x;
        }
        return DateToken{Kind::number, v, static_cast<int>(d.size()), text};
    }
    auto const before = ten - d.begin();
    auto const after = d.end() - ten - 1;
    if (before > 1 || after > 1 || (before == 1 && d.front() == 0) ||
        (after == 1 && (d.back() == 0 || d.back() == 10))) {
        return std::nullopt;
    }
    int const tens = before == 1 ? d.front() : 1;
    return DateToken{Kind::number, tens * 10 + (after == 1 ? d.back() : 0), 2, text};
}

// The word of the vocabulary that `s` starts with, as a token, or nullopt.
std::optional<DateToken> word_at(std::string_view s) {
    for (auto const& g : kWords) {
        for (std::string_view rest = g.words; !rest.empty();) {
            auto const word = rest.substr(0, rest.find(' '));
            rest.remove_prefix(std::min(rest.size(), word.size() + 1));
            if (s.starts_with(word)) {
                return DateToken{g.kind, g.value, g.extra, s.substr(0, word.size())};
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<DateToken>> tokenize_date_phrase(std::string_view s) {
    std::vector<DateToken> out;
    while (!s.empty()) {
        std::size_t n = 0;
        if (s[0] >= '0' && s[0] <= '9') {
            while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
                ++n;
            }
            if (n > kMaxDigits) {
                return std::nullopt;
            }
            int v = 0;
            std::from_chars(s.data(), s.data() + n, v);
            out.push_back({Kind::number, v, static_cast<int>(n), s.substr(0, n)});
        } else if (numeral_at(s)) {
            // One numeral after a week word; else one more than allowed, to notice a long run.
            bool const weekday = !out.empty() && out.back().kind == Kind::week;
            std::size_t const limit = weekday ? 1 : kMaxDigits + 1;
            std::vector<int> digits;
            for (auto d = numeral_at(s); d && digits.size() < limit; d = numeral_at(s.substr(n))) {
                digits.push_back(*d);
                n += kNumeralBytes;
            }
            auto const t =
                digits.size() <= kMaxDigits ? chinese_number(digits, s.substr(0, n)) : std::nullopt;
            if (!t) {
                return std::nullopt;
            }
            out.push_back(*t);
        } else if (auto const t = word_at(s)) {
            n = t->text.size();
            out.push_back(*t);
        } else {
            auto const blank = std::find_if(std::begin(kBlanks), std::end(kBlanks),
                                            [&](std::string_view b) { return s.starts_with(b); });
            if (blank == std::end(kBlanks)) {
                return std::nullopt;
            }
            n = blank->size();
        }
        s.remove_prefix(n);
    }
    return out;
}

}  // namespace bense::handlers

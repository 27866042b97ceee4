// Subscribe-message value rules: the value is decoded to code points once, then each type's
// rule is a small check over them. The rules and the choices made where the WeChat table is
// vague are listed in subscribe_fields.hpp; keep the two in step.
#include "wechat/subscribe_fields.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace bense::wechat {

namespace {

//------------------------------------------------------------------------------
// UTF-8 and character classes

// Decodes the sequence at text[i] (RFC 3629: no overlongs, surrogates or values past
// U+10FFFF) and advances i past it; a malformed sequence gives nullopt and skips one byte.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& i) {
    auto const lead = static_cast<unsigned char>(text[i++]);
    if (lead < 0x80) {
        return lead;
    }
    std::size_t extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        extra = 1, cp = lead & 0x1F, min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        extra = 2, cp = lead & 0x0F, min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        extra = 3, cp = lead & 0x07, min = 0x10000;
    } else {
        return std::nullopt;
    }
    if (text.size() - i < extra) {
        return std::nullopt;
    }
    for (std::size_t k = 0; k < extra; ++k) {
        auto const byte = static_cast<unsigned char>(text[i + k]);
        if ((byte & 0xC0) != 0x80) {
            return std::nullopt;
        }
        cp = (cp << 6) | (byte & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return std::nullopt;
    }
    i += extra;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
        return;
    }
    int const extra = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
    char32_t const lead = (0xFF00 >> (extra + 1)) & 0xFF;  // 0xC0, 0xE0 or 0xF0
    out += static_cast<char>(lead | (cp >> (6 * extra)));
    for (int k = extra - 1; k >= 0; --k) {
        out += static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F));
    }
}

// WeChat's table says only "no newlines or control chars"; C1 controls and the Unicode line
// separators are refused too because WeChat renders them as line breaks or boxes.
bool is_control(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

// Han ideographs: the basic block, extension A, compatibility ideographs, extensions B-H,
// and 〇 (U+3007), which is written in dates and names.
bool is_cjk(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF) || c == 0x3007;
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_punct(char32_t c) { return c >= 0x21 && c <= 0x7E && !is_digit(c) && !is_letter(c); }
bool is_graphic_ascii(char32_t c) { return c >= 0x21 && c <= 0x7E; }

template <class Pred>
bool every(std::u32string_view s, Pred pred) {
    return std::all_of(s.begin(), s.end(), pred);
}

// Reads a value from left to right; the shapes of amount, time and date are simple enough
// that a cursor reads more plainly than a pattern would.
struct Cursor {
    std::u32string_view s;
    std::size_t i = 0;

    bool done() const { return i == s.size(); }
    bool eat(char32_t c) {
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
    std::size_t skip_digits() {
        std::size_t const start = i;
        while (i < s.size() && is_digit(s[i])) {
            ++i;
        }
        return i - start;
    }
    // Reads min..max digits (greedy); nullopt if fewer than min.
    std::optional<int> digits(std::size_t min, std::size_t max) {
        int value = 0;
        std::size_t n = 0;
        while (n < max && i < s.size() && is_digit(s[i])) {
            value = value * 10 + static_cast<int>(s[i++] - '0');
            ++n;
        }
        return n >= min ? std::optional<int>(value) : std::nullopt;
    }
};

//------------------------------------------------------------------------------
// Per-type rules. Each returns nullopt when the value is fine.

struct Issue {
    std::string reason;
    std::string zh;
};
using Verdict = std::optional<Issue>;

Verdict too_long(std::size_t size, std::size_t limit) {
    if (size <= limit) {
        return std::nullopt;
    }
    auto const n = std::to_string(limit);
    auto const got = std::to_string(size);
    return Issue{"longer than " + n + " characters (" + got + ")",
                 "超过" + n + "个字（现有" + got + "个）"};
}

// The rule of most types: only characters of one class, and at most `limit` of them.
Verdict only(std::u32string_view v, bool (*allowed)(char32_t), std::size_t limit, char const* en,
             char const* zh) {
    if (!every(v, allowed)) {
        return Issue{en, zh};
    }
    return too_long(v.size(), limit);
}

bool is_phone_char(char32_t c) {
    return is_digit(c) || c == '+' || c == '-' || c == ' ' || c == '(' || c == ')';
}
bool is_name_char(char32_t c) {
    return is_cjk(c) || is_letter(c) || c == ' ' || c == U'·' || c == '.' || c == '-' || c == '\'';
}

Verdict check_thing(std::u32string_view v) { return too_long(v.size(), 20); }

Verdict check_number(std::u32string_view v) {
    Cursor c{v};
    if (c.skip_digits() == 0 || (c.eat('.') && c.skip_digits() == 0) || !c.done()) {
        return Issue{"only digits with at most one decimal point", "只能是数字，可带一个小数点"};
    }
    return too_long(v.size(), 32);
}

Verdict check_letter(std::u32string_view v) {
    return only(v, is_letter, 32, "only ASCII letters", "只能是英文字母");
}

Verdict check_symbol(std::u32string_view v) {
    return only(v, is_punct, 5, "only ASCII punctuation", "只能是英文符号");
}

Verdict check_character_string(std::u32string_view v) {
    return only(v, is_graphic_ascii, 32, "only ASCII letters, digits and punctuation",
                "只能是数字、英文字母和符号");
}

Verdict check_phrase(std::u32string_view v) {
    return only(v, is_cjk, 5, "only CJK characters", "只能是汉字");
}

Verdict check_amount(std::u32string_view v) {
    static constexpr std::u32string_view kCurrencies = U"¥￥$€£";
    Cursor c{v, 1};
    std::size_t const whole = c.skip_digits();
    bool const point = c.eat('.');
    std::size_t const fraction = point ? c.skip_digits() : 0;
    c.eat(U'元');
    if (kCurrencies.find(v[0]) == v.npos || whole == 0 || (point && fraction == 0) || !c.done()) {
        return Issue{
            "not a currency symbol, digits with optional decimals and optional 元, like ¥12.50",
            "金额格式不对，应如 ¥12.50 或 ￥300元"};
    }
    if (whole + fraction > 10) {
        return Issue{"more than 10 digits", "数字超过10位"};
    }
    return std::nullopt;
}

Verdict check_phone_number(std::u32string_view v) {
    // A value of symbols alone passes the class check but is no number at all.
    bool const any_digit = std::any_of(v.begin(), v.end(), is_digit);
    return only(v, any_digit ? is_phone_char : is_digit, 17,
                "only digits, +, -, spaces and parentheses", "只能是数字和 + - ( ) 空格");
}

Verdict check_car_number(std::u32string_view v) {
    for (std::size_t k = 0; k < v.size(); ++k) {
        bool const edge = k == 0 || k + 1 == v.size();
        if (!(is_letter(v[k]) || is_digit(v[k]) || (edge && is_cjk(v[k])))) {
            return Issue{"CJK only first or last, otherwise ASCII letters and digits",
                         "只能首尾用汉字，其余为字母或数字"};
        }
    }
    return too_long(v.size(), 8);
}

Verdict check_name(std::u32string_view v) {
    bool const has_cjk = std::any_of(v.begin(), v.end(), is_cjk);
    bool const has_letter = has_cjk || std::any_of(v.begin(), v.end(), is_letter);
    // Mixed CJK and letters counts as a Chinese name (WeChat's rule), so the tighter limit.
    return only(v, has_letter ? is_name_char : is_cjk, has_cjk ? 10 : 20,
                "only CJK, ASCII letters, spaces and · . - '", "只能是汉字、英文字母和 · 等符号");
}

//------------------------------------------------------------------------------
// time and date: a hand-written parser, since the shapes mix ASCII and 年月日

enum class Parse { ok, shape, month, day, hour, minute_second };

// YYYY年M月D日 (one or two digits) or YYYY-MM-DD with -, / or . (two digits).
Parse parse_date(Cursor& c) {
    if (!c.digits(4, 4) || c.done()) {
        return Parse::shape;
    }
    char32_t const sep = c.s[c.i++];
    bool const cjk = sep == U'年';
    if (!cjk && sep != '-' && sep != '/' && sep != '.') {
        return Parse::shape;
    }
    std::size_t const min_digits = cjk ? 1 : 2;
    auto const month = c.digits(min_digits, 2);
    if (!month || !c.eat(cjk ? U'月' : sep)) {
        return Parse::shape;
    }
    auto const day = c.digits(min_digits, 2);
    if (!day || (cjk && !c.eat(U'日'))) {
        return Parse::shape;
    }
    if (*month < 1 || *month > 12) {
        return Parse::month;
    }
    return *day < 1 || *day > 31 ? Parse::day : Parse::ok;
}

Parse parse_clock(Cursor& c) {
    auto const hour = c.digits(2, 2);
    if (!hour || !c.eat(':')) {
        return Parse::shape;
    }
    auto const minute = c.digits(2, 2);
    if (!minute) {
        return Parse::shape;
    }
    int second = 0;
    if (c.eat(':')) {
        auto const s = c.digits(2, 2);
        if (!s) {
            return Parse::shape;
        }
        second = *s;
    }
    if (*hour > 23) {
        return Parse::hour;
    }
    return *minute > 59 || second > 59 ? Parse::minute_second : Parse::ok;
}

// One end of a range: a time field needs a clock (a date before it is optional), a date
// field needs a date (a clock after it is optional).
Parse parse_point(std::u32string_view s, bool is_time) {
    Cursor c{s};
    // A bare clock has its colon third; anything else must start with a four-digit year.
    bool const bare_clock = s.size() > 2 && s[2] == ':';
    Parse r = Parse::ok;
    if (is_time && bare_clock) {
        r = parse_clock(c);
    } else {
        r = parse_date(c);
        if (r == Parse::ok && (is_time || !c.done())) {
            r = c.eat(' ') ? parse_clock(c) : Parse::shape;
        }
    }
    return r == Parse::ok && !c.done() ? Parse::shape : r;
}

Verdict check_time_or_date(std::u32string_view v, bool is_time) {
    auto const tilde = v.find(U'~');
    Parse r = Parse::ok;
    if (tilde == v.npos) {
        r = parse_point(v, is_time);
    } else if (v.find(U'~', tilde + 1) != v.npos) {
        r = Parse::shape;
    } else {
        r = parse_point(v.substr(0, tilde), is_time);
        if (r == Parse::ok) {
            r = parse_point(v.substr(tilde + 1), is_time);
        }
    }
    switch (r) {
        case Parse::ok:
            return std::nullopt;
        case Parse::month:
            return Issue{"month must be 1 to 12", "月份应在1到12之间"};
        case Parse::day:
            return Issue{"day must be 1 to 31", "日应在1到31之间"};
        case Parse::hour:
            return Issue{"hour must be 00 to 23", "小时应在00到23之间"};
        case Parse::minute_second:
            return Issue{"minutes and seconds must be 00 to 59", "分和秒应在00到59之间"};
        case Parse::shape:
            break;
    }
    if (is_time) {
        return Issue{"not a 24-hour time like 15:01 or 2026年5月1日 15:01",
                     "时间格式不对，应如 15:01 或 2026年5月1日 15:01"};
    }
    return Issue{"not a date like 2026年5月1日 or 2026-05-01",
                 "日期格式不对，应如 2026年5月1日 或 2026-05-01"};
}

Verdict check_time(std::u32string_view v) { return check_time_or_date(v, true); }
Verdict check_date(std::u32string_view v) { return check_time_or_date(v, false); }

//------------------------------------------------------------------------------
// Fields

struct TypeRule {
    std::string_view type;
    Verdict (*check)(std::u32string_view);  // nullptr for enum, which needs the value list
};

constexpr TypeRule kRules[] = {
    {"thing", check_thing},
    {"number", check_number},
    {"letter", check_letter},
    {"symbol", check_symbol},
    {"character_string", check_character_string},
    {"time", check_time},
    {"date", check_date},
    {"amount", check_amount},
    {"phone_number", check_phone_number},
    {"car_number", check_car_number},
    {"name", check_name},
    {"phrase", check_phrase},
    {"enum", nullptr},
};

Verdict check_field(SubscribeField const& field, std::vector<std::string> const& enum_values) {
    std::string_view const key = field.key;
    auto const digits_at = key.find_last_not_of("0123456789") + 1;  // npos + 1 == 0
    if (digits_at == 0 || digits_at == key.size()) {
        return Issue{"key is not <type><n>, like thing1", "字段名应为类型加序号，如 thing1"};
    }
    auto const type = key.substr(0, digits_at);
    auto const rule = std::find_if(std::begin(kRules), std::end(kRules),
                                   [&](auto const& r) { return r.type == type; });
    if (rule == std::end(kRules)) {
        return Issue{"unknown type \"" + std::string(type) + "\"",
                     "未知的字段类型 " + std::string(type)};
    }
    std::u32string value;
    for (std::size_t i = 0; i < field.value.size();) {
        auto const cp = next_code_point(field.value, i);
        if (!cp) {
            return Issue{"value is not valid UTF-8", "内容含有无效字符"};
        }
        value += *cp;
    }
    if (value.empty()) {
        return Issue{"value is empty", "内容不能为空"};
    }
    if (std::any_of(value.begin(), value.end(), is_control)) {
        return Issue{"newline or control character", "不能含换行或控制字符"};
    }
    if (rule->check != nullptr) {
        return rule->check(value);
    }
    if (std::find(enum_values.begin(), enum_values.end(), field.value) == enum_values.end()) {
        return Issue{"not one of the template's enum values", "不是模板允许的选项"};
    }
    return std::nullopt;
}

}  // namespace

std::vector<SubscribeFieldProblem> check_subscribe_data(
    std::vector<SubscribeField> const& fields,
    std::vector<std::string> const& enum_values_for_enum_keys) {
    std::vector<SubscribeFieldProblem> problems;
    std::set<std::string_view> seen;
    for (auto const& field : fields) {
        auto issue = seen.insert(field.key).second ? check_field(field, enum_values_for_enum_keys)
                                                   : Issue{"key given twice", "字段重复"};
        if (issue) {
            problems.push_back({field.key, issue->reason, field.key + "：" + issue->zh});
        }
    }
    return problems;
}

std::string truncate_thing(std::string_view text, std::size_t max_chars) {
    std::u32string chars;
    for (std::size_t i = 0; i < text.size();) {
        auto const cp = next_code_point(text, i);
        chars += !cp ? U'\uFFFD' : is_control(*cp) ? U' ' : *cp;
    }
    if (chars.size() > max_chars) {
        if (max_chars == 0) {
            return {};
        }
        chars.resize(max_chars - 1);
        chars += U'…';  // one code point, so the result is exactly max_chars long
    }
    std::string out;
    out.reserve(text.size() + 3);
    for (char32_t c : chars) {
        append_utf8(out, c);
    }
    return out;
}

}  // namespace bense::wechat

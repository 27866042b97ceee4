// Checks mini-program subscribe-message data against WeChat's per-type value rules
// (wechat-protocol.md 5.3) before sending, so a bad value is caught here with a clear reason
// instead of coming back as errcode 47003. Pure functions: no I/O, no clock.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bense::wechat {

// One entry of the message's "data" object: {"thing1":{"value":"..."}} is {"thing1", "..."}.
struct SubscribeField {
    std::string key;
    std::string value;
};

// Why one field would be refused. `reason` is English for the log and leaves the key out
// (log it as key + ": " + reason); `message_zh` is one short Chinese sentence for the operator
// who wrote the text, and names the field itself: "thing1：超过20个字（现有21个）".
struct SubscribeFieldProblem {
    std::string key;
    std::string reason;
    std::string message_zh;
};

// Returns one problem per bad field (the first rule it breaks), in input order; an empty
// vector means WeChat should accept every value. Keys must look like `<type><n>` (thing1,
// character_string2) with a known type; a key given twice is a problem too.
// `enum_values_for_enum_keys` lists the values the template allows for its enum fields; with
// the default (empty) list every enum value is a problem, since nothing can be checked.
//
// Every type: valid UTF-8, not empty, no control characters (C0, DEL, C1) and no U+2028 or
// U+2029 line separators. Lengths count Unicode code points. Per type:
//   thing             <= 20 characters of any kind
//   number            <= 32 characters: digits, with at most one decimal point between digits
//                     (no sign, no thousands separators)
//   letter            <= 32 ASCII letters
//   symbol            <= 5 ASCII punctuation characters
//   character_string  <= 32 ASCII letters, digits and punctuation (no spaces)
//   time              HH:MM or HH:MM:SS (00:00 to 23:59:59, two digits each), optionally
//                     preceded by a date and one space; a range is two such values joined by a
//                     single `~` with no spaces around it
//   date              YYYY年M月D日 (month and day one or two digits), YYYY-MM-DD, YYYY/MM/DD or
//                     YYYY.MM.DD, optionally followed by one space and a time; ranges as
//                     above (the order of a range's two ends is not checked)
//   amount            one currency symbol (¥ ￥ $ € £), then digits with an optional decimal
//                     part, at most 10 digits in all, then an optional 元: "¥12.50", "￥300元";
//                     no sign, no thousands separators, no space after the symbol
//   phone_number      <= 17 of digits, +, -, space and parentheses, at least one digit
//   car_number        <= 8 characters: ASCII letters and digits, and CJK only first or last
//   name              CJK and ASCII letters, plus spaces and · . - '; <= 10 characters if
//                     any is CJK (mixed counts as Chinese), else <= 20
//   phrase            <= 5 characters, CJK only
//   enum              exactly one of enum_values_for_enum_keys
// Dates check month 1-12 and day 1-31 only. A calendar-exact check (no 30 February) is not
// part of WeChat's documented rule, so 2026年2月30日 passes here; callers that format real
// dates never produce one.
std::vector<SubscribeFieldProblem> check_subscribe_data(
    std::vector<SubscribeField> const& fields,
    std::vector<std::string> const& enum_values_for_enum_keys = {});

// Makes user text fit a thing field: each control character or line separator becomes a
// space, each invalid UTF-8 byte becomes U+FFFD, and text longer than `max_chars` code points
// is cut on a code-point boundary with "…" appended, the result staying <= max_chars (so
// max_chars 1 gives "…" and 0 gives ""). Text that already fits is returned unchanged
// apart from those replacements. Empty text stays empty: the caller must supply a value.
std::string truncate_thing(std::string_view text, std::size_t max_chars = 20);

}  // namespace bense::wechat

// The values inside roster cells: trimming, length in characters, quoting a value in a
// reason, and the words people write for a status, a smartphone or a branch tier. Private to
// the roster files (roster_csv, roster_header); other code uses roster_csv.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "handlers/roster_csv.hpp"

namespace bense::handlers::roster {

inline constexpr std::string_view kIdeographicSpace = "\u3000";

// `s` without leading and trailing ASCII spaces, tabs and ideographic spaces (U+3000).
std::string_view trim_cell(std::string_view s);
// Equal when ASCII letters are compared in any case; other bytes compare exactly.
bool iequals_ascii(std::string_view a, std::string_view b);
// The number of code points in valid UTF-8.
std::size_t code_points(std::string_view s);
// `value` in Chinese quotes (“…”) for a reason, cut after 20 characters.
std::string quote_value(std::string_view value);

// A 状态 cell: empty, 正常, 在册, active; 转出, 已转出, transferred; 去世, 已故, 逝世,
// deceased. nullopt for anything else.
std::optional<MemberStatus> parse_status_cell(std::string_view cell);
// A 智能手机 cell (not empty): 是, 有, 会, y, yes, 1, true; 否, 无, 不会, n, no, 0, false.
std::optional<bool> parse_smartphone_cell(std::string_view cell);
// A 等级 cell: "" for empty, else "standard" (规范化), "advanced" (先进), "strong" (过硬).
std::optional<std::string_view> parse_tier_cell(std::string_view cell);

}  // namespace bense::handlers::roster

// Forgiving reading of what a member typed or said: full-width forms, stray spaces and
// Chinese numerals ("签到四八二一" is "签到 4821"). Pure functions over UTF-8 text.
#pragma once

#include <string>
#include <string_view>

namespace bense::handlers {

// Full-width ASCII (U+FF01..U+FF5E) to its half-width form, the ideographic space U+3000
// and other spaces to ' ', ASCII letters to lower case. Invalid UTF-8 bytes are kept as is.
std::string to_half_width(std::string_view text);

// Trims both ends and collapses runs of spaces, tabs and newlines into one space.
std::string squeeze_spaces(std::string_view text);

// An argument that is only digits: ASCII digits and 〇零一二三四五六七八九两幺 (幺 is how
// "1" is read aloud in codes), spaces between them allowed; returns the ASCII digits.
// Any other argument comes back squeezed, unchanged otherwise.
std::string normalise_argument(std::string_view argument);

// The whole text for matching: half-width, squeezed.
std::string normalise_text(std::string_view text);

}  // namespace bense::handlers

// The text a person types into a field (a title, a place, a reason): its length in
// characters and the text without the blanks around it. Pure; never checks the encoding,
// which RapidJSON has already validated for every string it hands out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bense::handlers {

// The number of characters (code points) of valid UTF-8: "党课" is 2, not 6.
std::size_t count_characters(std::string_view s);

// `s` without leading and trailing ASCII spaces, tabs, CRs and LFs; "" when that is all it
// has. Ideographic spaces (U+3000) are kept (roster cells trim them: roster::trim_cell).
std::string trim_spaces(std::string_view s);

}  // namespace bense::handlers

// See text_fields.hpp.
#include "handlers/text_fields.hpp"

#include <algorithm>

namespace bense::handlers {

namespace {

constexpr std::string_view kSpaces = " \t\r\n";

}  // namespace

std::size_t count_characters(std::string_view s) {
    // Every byte but a continuation byte (10xxxxxx) starts a character.
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string trim_spaces(std::string_view s) {
    auto const first = s.find_first_not_of(kSpaces);
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(s.substr(first, s.find_last_not_of(kSpaces) - first + 1));
}

}  // namespace bense::handlers

// UTF-8 validation for untrusted input (request bodies, WeChat bodies, JSON strings), and the
// trimming the parsers share. Pure functions, no allocation; validation runs before bytes
// reach pugixml, which does not validate, and before RapidJSON, which is told not to.
#pragma once

#include <string_view>

namespace bense::server {

// True when `text` is well-formed UTF-8 (RFC 3629): no stray continuation bytes, no
// truncated sequences, no overlong forms, no UTF-16 surrogates (U+D800..U+DFFF) and
// nothing above U+10FFFF. NUL bytes are valid UTF-8 and accepted here; callers that feed
// XML reject them separately.
bool is_valid_utf8(std::string_view text);

// `s` without leading and trailing ASCII spaces, tabs, CR and LF.
inline std::string_view trim_space(std::string_view s) {
    auto const is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace bense::server

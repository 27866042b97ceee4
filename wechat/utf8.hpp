// UTF-8 validation for untrusted input (WeChat bodies, JSON strings).
// Pure function, no allocation; used before handing bytes to pugixml, which does not validate.
#pragma once

#include <string_view>

namespace bense::wechat {

// True when `text` is well-formed UTF-8 (RFC 3629): no stray continuation bytes, no
// truncated sequences, no overlong forms, no UTF-16 surrogates (U+D800..U+DFFF) and
// nothing above U+10FFFF. NUL bytes are valid UTF-8 and accepted here; callers that feed
// XML reject them separately.
bool is_valid_utf8(std::string_view text);

}  // namespace bense::wechat

// UTF-8 validation: a byte-at-a-time walk following the table in RFC 3629 section 4,
// which rules out overlong forms and surrogates by narrowing the second byte's range.
#include "server/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace bense::server {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    std::size_t const size = text.size();
    while (i < size) {
        // Eight ASCII bytes at a time: XML markup and base64 are nearly all ASCII.
        std::uint64_t word = 0;
        if (size - i >= sizeof word) {
            std::memcpy(&word, text.data() + i, sizeof word);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += sizeof word;
                continue;
            }
        }
        auto const lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra = 0;
        // Allowed range of the second byte; RFC 3629 narrows it after E0, ED, F0 and F4.
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            extra = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            extra = 2;
            if (lead == 0xE0) {
                low = 0xA0;  // below is an overlong 2-byte form
            } else if (lead == 0xED) {
                high = 0x9F;  // above are UTF-16 surrogates
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            extra = 3;
            if (lead == 0xF0) {
                low = 0x90;  // below is an overlong 3-byte form
            } else if (lead == 0xF4) {
                high = 0x8F;  // above is beyond U+10FFFF
            }
        } else {
            return false;  // 0x80..0xC1 (continuation or overlong lead) or 0xF5..0xFF
        }
        if (size - i <= extra) {
            return false;
        }
        auto const second = static_cast<unsigned char>(text[i + 1]);
        if (second < low || second > high) {
            return false;
        }
        for (std::size_t k = 2; k <= extra; ++k) {
            if (!is_continuation(static_cast<unsigned char>(text[i + k]))) {
                return false;
            }
        }
        i += extra + 1;
    }
    return true;
}

}  // namespace bense::server

// See bot_text.hpp. Code points are decoded by hand: the texts are short and the rules few.
#include "handlers/bot_text.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace bense::handlers {
namespace {

// Decodes one code point at `pos`; returns it and its length, or (-1, 1) for a bad byte.
std::pair<std::int32_t, std::size_t> decode(std::string_view s, std::size_t pos) {
    auto const b0 = static_cast<unsigned char>(s[pos]);
    std::size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || pos + len > s.size()) {
        return {-1, 1};
    }
    if (len == 1) {
        return {b0, 1};
    }
    std::int32_t cp = b0 & (0x7F >> len);
    for (std::size_t i = 1; i < len; ++i) {
        auto const b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) {
            return {-1, 1};
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, len};
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The digit a Chinese numeral stands for, or -1.
int chinese_digit(std::int32_t cp) {
    static constexpr std::array<std::pair<std::int32_t, int>, 13> kDigits{{
        {0x3007, 0},  // 〇
        {0x96F6, 0},  // 零
        {0x4E00, 1},  // 一
        {0x5E7A, 1},  // 幺
        {0x4E8C, 2},  // 二
        {0x4E24, 2},  // 两
        {0x4E09, 3},  // 三
        {0x56DB, 4},  // 四
        {0x4E94, 5},  // 五
        {0x516D, 6},  // 六
        {0x4E03, 7},  // 七
        {0x516B, 8},  // 八
        {0x4E5D, 9},  // 九
    }};
    for (auto [c, d] : kDigits) {
        if (c == cp) {
            return d;
        }
    }
    return -1;
}

}  // namespace

std::string to_half_width(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto [cp, len] = decode(text, pos);
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp -= 0xFEE0;
        } else if (cp == 0x3000 || cp == 0x00A0) {
            cp = ' ';
        }
        if (cp >= 0 && cp < 0x80) {
            char c = static_cast<char>(cp);
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        } else {
            out.append(text.substr(pos, len));
        }
        pos += len;
    }
    return out;
}

std::string squeeze_spaces(std::string_view text) {
    std::string out;
    bool pending_space = false;
    for (char c : text) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) {
            out.push_back(' ');
            pending_space = false;
        }
        out.push_back(c);
    }
    return out;
}

std::string normalise_argument(std::string_view argument) {
    auto const squeezed = squeeze_spaces(argument);
    std::string digits;
    std::size_t pos = 0;
    while (pos < squeezed.size()) {
        auto [cp, len] = decode(squeezed, pos);
        pos += len;
        if (cp >= '0' && cp <= '9') {
            digits.push_back(static_cast<char>(cp));
        } else if (int d = chinese_digit(cp); d >= 0) {
            digits.push_back(static_cast<char>('0' + d));
        } else if (cp != ' ') {
            return squeezed;
        }
    }
    return digits;
}

std::string normalise_text(std::string_view text) { return squeeze_spaces(to_half_width(text)); }

}  // namespace bense::handlers

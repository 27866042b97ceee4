// Unit tests for server/utf8: the boundaries of RFC 3629 (overlongs, surrogates, U+10FFFF).
#include "server/utf8.hpp"

#include <catch2/catch.hpp>
#include <string>

using bense::server::is_valid_utf8;

TEST_CASE("utf8: well-formed text is accepted", "[server][utf8]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII <xml/>"));
    CHECK(is_valid_utf8("我是中文abcd123"));
    CHECK(is_valid_utf8("\xC2\x80"));              // U+0080, smallest 2-byte
    CHECK(is_valid_utf8("\xDF\xBF"));              // U+07FF
    CHECK(is_valid_utf8("\xE0\xA0\x80"));          // U+0800, smallest 3-byte
    CHECK(is_valid_utf8("\xED\x9F\xBF"));          // U+D7FF, just below surrogates
    CHECK(is_valid_utf8("\xEE\x80\x80"));          // U+E000, just above surrogates
    CHECK(is_valid_utf8("\xEF\xBF\xBF"));          // U+FFFF
    CHECK(is_valid_utf8("\xF0\x90\x80\x80"));      // U+10000, smallest 4-byte
    CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));      // an emoji
    CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last code point
    CHECK(is_valid_utf8(std::string("a\0b", 3)));  // NUL is valid UTF-8
}

TEST_CASE("utf8: malformed sequences are rejected", "[server][utf8]") {
    CHECK_FALSE(is_valid_utf8("\x80"));              // stray continuation
    CHECK_FALSE(is_valid_utf8("abc\xBF"));           // stray continuation at the end
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));      // overlong 3-byte
    CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
    CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));  // lead byte past F4
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("\xFE"));
    CHECK_FALSE(is_valid_utf8("\xE6\x88"));          // truncated 3-byte (half of 我)
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98"));      // truncated 4-byte
    CHECK_FALSE(is_valid_utf8("\xC2"));              // truncated 2-byte
    CHECK_FALSE(is_valid_utf8("\xE6\x88\x41"));      // bad third byte
    CHECK_FALSE(is_valid_utf8("\xF0\x9F\x41\x80"));  // bad third byte of four
    CHECK_FALSE(is_valid_utf8("\xC2\xC2\x80"));      // lead where continuation expected
}

TEST_CASE("utf8: ASCII runs of any length around a sequence, read eight bytes at a time", "[server][utf8]") {
    // Each sequence after 0..17 ASCII bytes and before 0..9 more, so that it falls at every
    // place of an eight-byte word and at the end, where the word would run past the text.
    std::string const bad[] = {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE6\x88", "\xF5\x80\x80\x80", "\xFF"};
    std::string const good[] = {"\xC2\x80", "我", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"};
    for (std::size_t before = 0; before < 18; ++before) {
        for (std::size_t after = 0; after < 10; ++after) {
            std::string const head(before, 'a');
            std::string const tail(after, 'z');
            for (auto const& s : bad) {
                CHECK_FALSE(is_valid_utf8(head + s + tail));
            }
            for (auto const& s : good) {
                CHECK(is_valid_utf8(head + s + tail));
            }
        }
    }
    CHECK(is_valid_utf8(std::string(4096, 'x')));
}

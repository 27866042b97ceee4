// The forgiving reading of typed and spoken text: full-width forms, spaces, Chinese numerals.
#include "handlers/bot_text.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

TEST_CASE("full-width letters, digits and spaces become half-width", "[bot]") {
    CHECK(to_half_width("ＡＢＣ１２３") == "abc123");
    CHECK(to_half_width("签到\u3000４８２１") == "签到 4821");
    CHECK(to_half_width("？！") == "?!");
    CHECK(to_half_width("帮助") == "帮助");
    CHECK(to_half_width("HeLLo") == "hello");
}

TEST_CASE("invalid UTF-8 bytes pass through unharmed", "[bot]") {
    std::string const bad = "a\xff\xfe" "b";
    CHECK(to_half_width(bad) == bad);
    CHECK(to_half_width("\xe4\xb8") == "\xe4\xb8");  // truncated sequence
}

TEST_CASE("spaces are trimmed and collapsed", "[bot]") {
    CHECK(squeeze_spaces("  签到   4821 \n") == "签到 4821");
    CHECK(squeeze_spaces("") == "");
    CHECK(squeeze_spaces(" \t ") == "");
    CHECK(normalise_text("\u3000帮\u3000助\u3000") == "帮 助");
}

TEST_CASE("a numeric argument may be Chinese numerals, with or without spaces", "[bot]") {
    CHECK(normalise_argument("四八二一") == "4821");
    CHECK(normalise_argument("4 8 2 1") == "4821");
    CHECK(normalise_argument("〇零一二三四五六七八九") == "00123456789");
    CHECK(normalise_argument("两幺") == "21");
    CHECK(normalise_argument("四8二1") == "4821");
    CHECK(normalise_argument("") == "");
}

TEST_CASE("a non-numeric argument keeps its words", "[bot]") {
    CHECK(normalise_argument("一下") == "一下");
    CHECK(normalise_argument(" 重阳节  座谈会 ") == "重阳节 座谈会");
}

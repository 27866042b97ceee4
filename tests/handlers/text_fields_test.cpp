// The length in characters and the trimming of what people type into a field; no I/O.
#include "handlers/text_fields.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

TEST_CASE("a field's length counts characters, not bytes", "[text]") {
    CHECK(count_characters("") == 0);
    CHECK(count_characters("abc") == 3);
    CHECK(count_characters("党课") == 2);
    CHECK(count_characters("12月主题党日") == 7);
    CHECK(count_characters("\xF0\x9F\x98\x80") == 1);  // one emoji, four bytes
}

TEST_CASE("trimming drops ASCII blanks around the text and keeps those inside", "[text]") {
    CHECK(trim_spaces("  住院  ") == "住院");
    CHECK(trim_spaces("\t\r\n学习了\n党章\r\n") == "学习了\n党章");
    CHECK(trim_spaces(" \t\r\n ").empty());
    CHECK(trim_spaces("").empty());
    CHECK(trim_spaces("\xE3\x80\x80会议室") == "\xE3\x80\x80会议室");  // an ideographic space stays
}

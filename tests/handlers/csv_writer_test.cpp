// Writing CSV for Excel: the BOM, RFC 4180 quoting, CRLF, and the formula guard that must
// leave plain numbers and Chinese text alone.
#include "handlers/csv_writer.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

std::string row(std::vector<std::string> const& cells) {
    std::string out;
    append_csv_row(out, cells);
    return out;
}

}  // namespace

TEST_CASE("csv writer: the BOM is the three UTF-8 bytes", "[csv]") {
    CHECK(csv_bom() == "\xEF\xBB\xBF");
    CHECK(csv_bom().size() == 3);
}

TEST_CASE("csv writer: rows end in CRLF and append", "[csv]") {
    CHECK(row({"a", "b", "c"}) == "a,b,c\r\n");
    CHECK(row({}) == "\r\n");
    CHECK(row({""}) == "\r\n");
    CHECK(row({"", ""}) == ",\r\n");
    std::string out = csv_bom();
    append_csv_row(out, {"x"});
    append_csv_row(out, {"y", "z"});
    CHECK(out == "\xEF\xBB\xBFx\r\ny,z\r\n");
}

TEST_CASE("csv writer: RFC 4180 quoting", "[csv]") {
    CHECK(row({"a,b"}) == "\"a,b\"\r\n");
    CHECK(row({"say \"hi\""}) == "\"say \"\"hi\"\"\"\r\n");
    CHECK(row({"\""}) == "\"\"\"\"\r\n");
    CHECK(row({"line1\nline2"}) == "\"line1\nline2\"\r\n");
    CHECK(row({"line1\r\nline2"}) == "\"line1\r\nline2\"\r\n");
    CHECK(row({"a\rb"}) == "\"a\rb\"\r\n");
    // Spaces and single quotes need no quoting.
    CHECK(row({" padded ", "it's"}) == " padded ,it's\r\n");
}

TEST_CASE("csv writer: Chinese text is copied byte for byte", "[csv]") {
    CHECK(row({"市直机关第一离退休干部党支部", "规范化支部", "主题党日得分"}) ==
          "市直机关第一离退休干部党支部,规范化支部,主题党日得分\r\n");
    // A full-width comma is not a separator.
    CHECK(row({"党课，党小组会"}) == "党课，党小组会\r\n");
    CHECK(row({"“银发”,本色"}) == "\"“银发”,本色\"\r\n");
}

TEST_CASE("csv writer: cells that Excel would run as formulas get an apostrophe", "[csv]") {
    CHECK(row({"=SUM(A1:A9)"}) == "'=SUM(A1:A9)\r\n");
    CHECK(row({"+cmd"}) == "'+cmd\r\n");
    CHECK(row({"-cmd"}) == "'-cmd\r\n");
    CHECK(row({"@SUM(A1)"}) == "'@SUM(A1)\r\n");
    CHECK(row({"\tx"}) == "'\tx\r\n");
    CHECK(row({"="}) == "'=\r\n");
    CHECK(row({"-"}) == "'-\r\n");
    // A digit after the sign is not enough: these are still formulas.
    CHECK(row({"=1+1"}) == "'=1+1\r\n");
    CHECK(row({"-2+3+cmd|' /C calc'!A0"}) == "'-2+3+cmd|' /C calc'!A0\r\n");
    CHECK(row({"+1-1"}) == "'+1-1\r\n");
    // The apostrophe goes inside the quotes when the cell is quoted too.
    CHECK(row({"=HYPERLINK(\"http://x\",\"y\")"}) ==
          "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    CHECK(row({"\rx"}) == "\"'\rx\"\r\n");
    // Only the first character matters.
    CHECK(row({"a=b", "x-y", "me@example.org"}) == "a=b,x-y,me@example.org\r\n");
}

TEST_CASE("csv writer: plain numbers stay as they are", "[csv]") {
    CHECK(row({"-5", "+3", "-2.5", "0", "78.1", "-0.0"}) == "-5,+3,-2.5,0,78.1,-0.0\r\n");
    CHECK(row({"-5."}) == "'-5.\r\n");
    CHECK(row({"-.5"}) == "'-.5\r\n");
    CHECK(row({"-1e5"}) == "'-1e5\r\n");
    CHECK(row({"-1,5"}) == "\"'-1,5\"\r\n");
}

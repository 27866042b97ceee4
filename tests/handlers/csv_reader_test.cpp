// Splitting CSV text: quotes, doubled quotes, line breaks of every kind, and line numbers.
#include "handlers/csv_reader.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

using Cells = std::vector<std::string>;

std::vector<std::size_t> lines_of(CsvTable const& t) {
    std::vector<std::size_t> lines;
    for (auto const& r : t.records) {
        lines.push_back(r.line);
    }
    return lines;
}

}  // namespace

TEST_CASE("csv: commas split cells, LF ends records", "[roster][csv]") {
    auto const t = read_csv("a,b,c\n1,,3\n");
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[0].cells == Cells{"a", "b", "c"});
    CHECK(t.records[1].cells == Cells{"1", "", "3"});
    CHECK(lines_of(t) == std::vector<std::size_t>{1, 2});
    CHECK(t.unterminated_line == 0);
}

TEST_CASE("csv: the last record needs no line break, an empty text has none", "[roster][csv]") {
    auto const t = read_csv("a,b\nc,d");
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[1].cells == Cells{"c", "d"});
    CHECK(read_csv("").records.empty());
    auto const trailing_comma = read_csv("a,\n");
    REQUIRE(trailing_comma.records.size() == 1);
    CHECK(trailing_comma.records[0].cells == Cells{"a", ""});
}

TEST_CASE("csv: CRLF, LF and a lone CR each end one record", "[roster][csv]") {
    auto const t = read_csv("a\r\nb\rc\nd\r\n\r\ne");
    REQUIRE(t.records.size() == 6);
    CHECK(t.records[0].cells == Cells{"a"});
    CHECK(t.records[1].cells == Cells{"b"});
    CHECK(t.records[2].cells == Cells{"c"});
    CHECK(t.records[3].cells == Cells{"d"});
    CHECK(t.records[4].cells == Cells{""});
    CHECK(t.records[5].cells == Cells{"e"});
    CHECK(lines_of(t) == std::vector<std::size_t>{1, 2, 3, 4, 5, 6});
}

TEST_CASE("csv: quoted cells keep commas, doubled quotes and line breaks", "[roster][csv]") {
    auto const t = read_csv("\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\nz\"\nnext,\"\"\n");
    REQUIRE(t.records.size() == 2);
    CHECK(t.records[0].cells == Cells{"a,b", "say \"hi\"", "x\r\ny\nz"});
    CHECK(t.records[1].cells == Cells{"next", ""});
    CHECK(lines_of(t) == std::vector<std::size_t>{1, 4});
}

TEST_CASE("csv: blanks before an opening quote go, stray quotes stay", "[roster][csv]") {
    auto const t = read_csv("  \"a,b\"  ,x\"y,\"c\"d\n");
    REQUIRE(t.records.size() == 1);
    CHECK(t.records[0].cells == Cells{"a,b  ", "x\"y", "cd"});
}

TEST_CASE("csv: a quote that never closes is reported at its record's line", "[roster][csv]") {
    auto const t = read_csv("a,b\nc,\"d\ne,f\n");
    REQUIRE(t.records.size() == 1);
    CHECK(t.records[0].cells == Cells{"a", "b"});
    CHECK(t.unterminated_line == 2);
}

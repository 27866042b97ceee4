// See csv_writer.hpp. The formula guard follows OWASP's "CSV Injection" advice: a leading
// =, +, -, @, tab or CR makes Excel evaluate the cell ("-2+3+cmd|' /C calc'!A0" starts with a
// digit after the minus), so only a cell that is entirely a number escapes the apostrophe.
#include "handlers/csv_writer.hpp"

#include <algorithm>
#include <string_view>

namespace bense::handlers {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [+-]?digits(.digits)?
bool is_plain_number(std::string_view s) {
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        s.remove_prefix(1);
    }
    auto const dot = s.find('.');
    auto const whole = s.substr(0, dot);
    auto const fraction = dot == std::string_view::npos ? std::string_view("0") : s.substr(dot + 1);
    return !whole.empty() && !fraction.empty() &&
           std::all_of(whole.begin(), whole.end(), is_digit) &&
           std::all_of(fraction.begin(), fraction.end(), is_digit);
}

bool needs_formula_guard(std::string_view cell) {
    if (cell.empty()) {
        return false;
    }
    switch (cell.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return !is_plain_number(cell);
        default:
            return false;
    }
}

void append_cell(std::string& out, std::string_view cell) {
    bool const quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
    if (quote) {
        out += '"';
    }
    if (needs_formula_guard(cell)) {
        out += '\'';
    }
    for (char c : cell) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    if (quote) {
        out += '"';
    }
}

}  // namespace

std::string csv_bom() { return "\xEF\xBB\xBF"; }

void append_csv_row(std::string& out, std::vector<std::string> const& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) {
            out += ',';
        }
        append_cell(out, cells[i]);
    }
    out += "\r\n";
}

}  // namespace bense::handlers

// Splitting CSV text into records (RFC 4180, read leniently as Excel writes it). Generic and
// pure: it knows nothing of rosters, trims nothing and checks no values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

struct CsvRecord {
    std::size_t line = 0;            // the physical line where the record starts, 1-based
    std::vector<std::string> cells;  // quotes removed, "" read as ", nothing trimmed
};

struct CsvTable {
    std::vector<CsvRecord> records;
    std::size_t unterminated_line = 0;  // 0, or the line of a last record whose quote never
                                        // closed (that record is not in `records`)
};

// Splits `text` on commas; CRLF, LF or a lone CR ends a record. A cell that starts with a
// quote (after spaces or tabs, which are dropped) runs to the closing quote, commas and line
// breaks included, which stay in the cell as written. Text after a closing quote, and a quote
// in the middle of an unquoted cell, are kept as ordinary characters. An empty line is a
// record of one empty cell; a final line break does not start another record.
CsvTable read_csv(std::string_view text);

}  // namespace bense::handlers

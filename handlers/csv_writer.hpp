// Writing CSV for Excel (RFC 4180 with a UTF-8 BOM and CRLF). Generic and pure: it knows
// nothing of what the cells mean, and guards every cell against formula injection, because
// the files are opened by secretaries in Excel and WPS.
#pragma once

#include <string>
#include <vector>

namespace bense::handlers {

// "\xEF\xBB\xBF": without it Excel reads UTF-8 as the local code page and garbles Chinese.
std::string csv_bom();

// Appends one record to `out`, ended by CRLF. A cell is quoted (quotes doubled) when it holds
// a comma, a quote, CR or LF. A cell that starts with =, +, -, @, tab or CR gets a leading
// apostrophe so that Excel shows it as text instead of running it as a formula, unless the
// whole cell is a plain number such as "-5", "+3" or "-2.5", which stays as it is. Other
// text, Chinese included, is copied byte for byte.
void append_csv_row(std::string& out, std::vector<std::string> const& cells);

}  // namespace bense::handlers

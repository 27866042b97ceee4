// The header row of a roster file: which kind of roster it is and which cell holds each
// column we keep. Private to roster_csv.cpp; unknown columns (备注, 身份证号) are ignored so
// that nothing we do not need is ever read.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "handlers/csv_reader.hpp"
#include "handlers/roster_csv.hpp"

namespace bense::handlers::roster {

enum MemberColumn : std::size_t {
    m_number,
    m_name,
    m_branch,
    m_phone,
    m_roles,
    m_status,
    m_smartphone
};
enum BranchColumn : std::size_t { b_id, b_name, b_unit, b_community, b_tier, b_feature };

// Where each column of a kind is in the file's records.
struct Columns {
    std::vector<std::size_t> cell_of;  // by MemberColumn or BranchColumn; npos when absent
    std::size_t width = 0;             // the number of cells in the header

    // The trimmed cell of `column` in `record`; "" when absent or the record is short.
    std::string_view cell(CsvRecord const& record, std::size_t column) const;
};

// Members when the header has 姓名; branches when it has 支部名称, or 名称/name beside
// 支部编号/id; members for a bare "name". nullopt when it is neither.
std::optional<RosterKind> detect_kind(CsvRecord const& header);

// The columns of `kind` in `header`. A known column given twice, or a required one missing
// (members: 编号, 姓名, 支部; branches: 支部编号, 支部名称), adds a problem at the header's
// line for each, and then the answer is nullopt.
std::optional<Columns> map_header(CsvRecord const& header, RosterKind kind,
                                  std::vector<RosterProblem>& problems);

}  // namespace bense::handlers::roster

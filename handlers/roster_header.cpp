// See roster_header.hpp. Column names are compared after trimming, ASCII letters in any case.
#include "handlers/roster_header.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "handlers/roster_fields.hpp"

namespace bense::handlers::roster {
namespace {

struct ColumnSpec {
    std::string_view label;                 // the column's Chinese name, as reasons say it
    std::array<std::string_view, 5> names;  // what headers call it; "" pads
    bool required = false;
};

// In MemberColumn order.
constexpr auto kMemberColumns = std::to_array<ColumnSpec>({
    {"编号", {"编号", "党员编号", "会员编号", "number"}, true},
    {"姓名", {"姓名", "name"}, true},
    {"支部", {"支部", "所在支部", "branch"}, true},
    {"手机号", {"手机", "手机号", "手机号码", "电话", "phone"}, false},
    {"角色", {"角色", "职务", "roles"}, false},
    {"状态", {"状态", "status"}, false},
    {"智能手机", {"智能手机", "使用智能手机", "smartphone"}, false},
});

// In BranchColumn order.
constexpr auto kBranchColumns = std::to_array<ColumnSpec>({
    {"支部编号", {"支部编号", "编号", "id"}, true},
    {"支部名称", {"支部名称", "名称", "name"}, true},
    {"原单位", {"原单位", "unit"}, false},
    {"社区", {"社区", "所在社区", "community"}, false},
    {"等级", {"等级", "支部等级", "tier"}, false},
    {"特色", {"特色", "支部特色", "feature"}, false},
});

std::vector<std::string_view> header_names(CsvRecord const& header) {
    std::vector<std::string_view> names;
    names.reserve(header.cells.size());
    for (auto const& cell : header.cells) {
        names.push_back(trim_cell(cell));
    }
    return names;
}

bool has_name(std::span<std::string_view const> names, std::string_view wanted) {
    return std::ranges::any_of(names, [&](std::string_view n) { return iequals_ascii(n, wanted); });
}

}  // namespace

std::string_view Columns::cell(CsvRecord const& record, std::size_t column) const {
    std::size_t const i = cell_of[column];
    return i < record.cells.size() ? trim_cell(record.cells[i]) : std::string_view{};
}

std::optional<RosterKind> detect_kind(CsvRecord const& header) {
    auto const names = header_names(header);
    bool const has_id = has_name(names, "支部编号") || has_name(names, "id");
    bool const has_bare_name = has_name(names, "名称") || has_name(names, "name");
    if (has_name(names, "姓名")) {
        return RosterKind::members;
    }
    if (has_name(names, "支部名称") || (has_id && has_bare_name)) {
        return RosterKind::branches;
    }
    if (has_name(names, "name")) {
        return RosterKind::members;
    }
    return std::nullopt;
}

std::optional<Columns> map_header(CsvRecord const& header, RosterKind kind,
                                  std::vector<RosterProblem>& problems) {
    std::span<ColumnSpec const> const specs = kind == RosterKind::members
                                                  ? std::span<ColumnSpec const>(kMemberColumns)
                                                  : std::span<ColumnSpec const>(kBranchColumns);
    auto const names = header_names(header);
    Columns columns{std::vector<std::size_t>(specs.size(), std::string::npos), names.size()};
    std::size_t const problems_before = problems.size();
    auto const fail = [&](std::string reason) {
        problems.push_back({header.line, std::move(reason)});
    };
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto const spec = std::ranges::find_if(specs, [&](ColumnSpec const& c) {
            return !names[i].empty() && has_name(c.names, names[i]);
        });
        if (spec == specs.end()) {
            continue;  // a column we do not keep
        }
        std::size_t& cell = columns.cell_of[static_cast<std::size_t>(spec - specs.begin())];
        if (cell == std::string::npos) {
            cell = i;
        } else if (iequals_ascii(names[cell], names[i])) {
            fail("表头里" + quote_value(names[i]) + "列出现了两次。");
        } else {
            fail("表头里" + quote_value(names[cell]) + "和" + quote_value(names[i]) +
                 "是同一列，只能留一列。");
        }
    }
    for (std::size_t k = 0; k < specs.size(); ++k) {
        if (specs[k].required && columns.cell_of[k] == std::string::npos) {
            fail("表头缺少" + quote_value(specs[k].label) + "列。");
        }
    }
    if (problems.size() != problems_before) {
        return std::nullopt;
    }
    return columns;
}

}  // namespace bense::handlers::roster

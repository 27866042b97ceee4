// See roster_csv.hpp. Decoding (UTF-8, else GB18030 through glibc iconv) and the checks of
// each row; csv_reader splits, roster_header reads the header, roster_fields knows the words.
#include "handlers/roster_csv.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <span>
#include <unordered_map>
#include <utility>

#include "handlers/csv_reader.hpp"
#include "handlers/roster_fields.hpp"
#include "handlers/roster_header.hpp"
#include "server/utf8.hpp"

namespace bense::handlers {
namespace {

using roster::Columns;
using roster::quote_value;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// GB18030 to UTF-8; nullopt when iconv cannot start, or meets a byte sequence GB18030 does
// not have (EILSEQ) or one cut short at the end (EINVAL).
std::optional<std::string> from_gb18030(std::string_view bytes) {
    iconv_t const cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return std::nullopt;
    }
    // A GB18030 character of 1, 2 or 4 bytes is at most 1, 3 or 4 bytes of UTF-8, so twice
    // the input is always room enough and E2BIG cannot happen.
    std::string out(bytes.size() * 2 + 4, '\0');
    // glibc's iconv takes `char**` for its input but only reads through it.
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    std::size_t const rc = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1) || in_left != 0) {
        return std::nullopt;
    }
    out.resize(out.size() - out_left);
    return out;
}

//------------------------------------------------------------------------------
// Checking one row

// The problems of one record go to the file's list as they are found; `ok` says none was.
struct RowCheck {
    std::size_t line = 0;
    std::vector<RosterProblem>* problems = nullptr;
    bool ok = true;

    void fail(std::string reason) {
        ok = false;
        problems->push_back({line, std::move(reason)});
    }
};

// A free-text cell of at most `max` code points; `required` ones must not be empty.
std::string checked_text(std::string_view label, std::string_view value, std::size_t max,
                         bool required, RowCheck& check) {
    if (required && value.empty()) {
        check.fail(std::string(label) + "不能为空。");
    } else if (roster::code_points(value) > max) {
        check.fail(std::string(label) + "太长了，最多" + std::to_string(max) + "个字。");
    }
    return std::string(value);
}

// A member number or branch id: required, and is_valid_roster_id.
std::string checked_id(std::string_view label, std::string_view value, RowCheck& check) {
    if (value.empty()) {
        check.fail(std::string(label) + "不能为空。");
    } else if (!is_valid_roster_id(value)) {
        check.fail(std::string(label) + quote_value(value) +
                   "只能由字母、数字、下划线和短横线组成，最多32位。");
    }
    return std::string(value);
}

// The pieces of a 角色 cell, split on 、 , ， ; ； / and spaces; empty pieces dropped.
std::vector<std::string_view> role_words(std::string_view value) {
    static constexpr auto kSeparators = std::to_array<std::string_view>(
        {"、", ",", "，", ";", "；", "/", " ", "\t", roster::kIdeographicSpace});
    std::vector<std::string_view> words;
    std::size_t start = 0;
    std::size_t pos = 0;
    while (pos < value.size()) {
        auto const sep = std::ranges::find_if(
            kSeparators, [&](std::string_view s) { return value.substr(pos).starts_with(s); });
        if (sep == kSeparators.end()) {
            ++pos;  // separators begin with ASCII or a lead byte, never inside a character
            continue;
        }
        if (pos > start) {
            words.push_back(value.substr(start, pos - start));
        }
        pos += sep->size();
        start = pos;
    }
    if (pos > start) {
        words.push_back(value.substr(start));
    }
    return words;
}

// Each role checked; committee and secretary imply member, and an empty cell means a plain
// member, while bureau or liaison alone do not. Sorted and unique.
std::vector<std::string> checked_roles(std::string_view value, RowCheck& check) {
    std::vector<std::string> roles;
    for (auto word : role_words(value)) {
        if (auto role = parse_role(word)) {
            roles.push_back(std::move(*role));
        } else {
            check.fail("角色" + quote_value(word) +
                       "不认识，只能填 党员、支委、书记、联络员 或 老干部局。");
        }
    }
    return complete_roles(std::move(roles));
}

RosterMemberRow member_row(CsvRecord const& record, Columns const& c, RowCheck& check) {
    using namespace roster;
    RosterMemberRow row;
    row.number = checked_id("编号", c.cell(record, m_number), check);
    row.name = checked_text("姓名", c.cell(record, m_name), 32, true, check);
    row.branch = checked_text("支部", c.cell(record, m_branch), 64, true, check);
    if (auto const phone = c.cell(record, m_phone); !phone.empty()) {
        if (auto normal = normalise_phone(phone)) {
            row.phone = std::move(*normal);
        } else {
            check.fail("手机号" + quote_value(phone) + "不是11位手机号。");
        }
    }
    row.roles = checked_roles(c.cell(record, m_roles), check);
    if (auto status = parse_status_cell(c.cell(record, m_status))) {
        row.status = *status;
    } else {
        check.fail("“状态”只能填 正常、转出 或 去世。");
    }
    if (auto const smartphone = c.cell(record, m_smartphone); !smartphone.empty()) {
        row.smartphone = parse_smartphone_cell(smartphone);
        if (!row.smartphone) {
            check.fail("“智能手机”只能填 是 或 否。");
        }
    }
    return row;
}

RosterBranchRow branch_row(CsvRecord const& record, Columns const& c, RowCheck& check) {
    using namespace roster;
    RosterBranchRow row;
    row.id = checked_id("支部编号", c.cell(record, b_id), check);
    row.name = checked_text("支部名称", c.cell(record, b_name), 64, true, check);
    row.unit = checked_text("原单位", c.cell(record, b_unit), 128, false, check);
    row.community = checked_text("社区", c.cell(record, b_community), 128, false, check);
    if (auto tier = parse_tier_cell(c.cell(record, b_tier))) {
        row.tier = *tier;
    } else {
        check.fail("“等级”只能填 规范化、先进 或 过硬。");
    }
    row.feature = checked_text("特色", c.cell(record, b_feature), 128, false, check);
    return row;
}

//------------------------------------------------------------------------------
// The whole file

// Checks every data record with `make_row`; good rows go to `rows`. `key` is the row's
// number or id, which must not repeat within the file.
template <typename Row, typename MakeRow>
void check_rows(std::span<CsvRecord const> records, Columns const& columns, MakeRow make_row,
                std::string Row::*key, std::vector<Row>& rows,
                std::vector<RosterProblem>& problems) {
    std::unordered_map<std::string, std::size_t> first_line;
    for (auto const& record : records) {
        RowCheck check{record.line, &problems};
        auto const extra =
            std::span(record.cells).subspan(std::min(columns.width, record.cells.size()));
        if (std::ranges::any_of(
                extra, [](auto const& cell) { return !roster::trim_cell(cell).empty(); })) {
            check.fail("这一行比表头多出几列，请检查是否有多余的逗号。");
        }
        Row row = make_row(record, columns, check);
        row.line = record.line;
        if (is_valid_roster_id(row.*key)) {
            auto const [it, first] = first_line.emplace(row.*key, record.line);
            if (!first) {
                check.fail("编号 " + row.*key + " 与第 " + std::to_string(it->second) +
                           " 行重复。");
            }
        }
        if (check.ok) {
            rows.push_back(std::move(row));
        }
    }
}

// The records that have something in them: a record of empty cells is skipped.
std::vector<CsvRecord> non_blank(std::vector<CsvRecord> records) {
    std::erase_if(records, [](CsvRecord const& record) {
        return std::ranges::all_of(record.cells,
                                   [](auto const& c) { return roster::trim_cell(c).empty(); });
    });
    return records;
}

}  // namespace

std::optional<std::string> roster_text_to_utf8(std::string_view bytes) {
    if (bytes.starts_with(kUtf8Bom)) {
        bytes.remove_prefix(kUtf8Bom.size());
    }
    if (server::is_valid_utf8(bytes)) {
        return std::string(bytes);
    }
    return from_gb18030(bytes);
}

RosterFile parse_roster_csv(std::string_view bytes) {
    RosterFile file;
    auto const text = roster_text_to_utf8(bytes);
    if (!text) {
        file.problems.push_back(
            {0, "文件既不是UTF-8也不是GB18030编码，请在Excel里另存为“CSV UTF-8”后再上传。"});
        return file;
    }
    auto table = read_csv(*text);
    auto const records = non_blank(std::move(table.records));
    if (records.empty()) {
        file.problems.push_back(
            table.unterminated_line != 0
                ? RosterProblem{table.unterminated_line, "这一行的引号没有闭合。"}
                : RosterProblem{0, "文件是空的，没有找到表头。"});
        return file;
    }
    auto const& header = records.front();
    auto const kind = roster::detect_kind(header);
    if (!kind) {
        file.problems.push_back(
            {header.line, "表头里没有“姓名”或“支部名称”列，无法识别这份名单。"});
        return file;
    }
    file.kind = *kind;
    auto const data = std::span(records).subspan(1);
    if (data.size() > kMaxRosterRows) {
        file.problems.push_back(
            {0, "名单超过" + std::to_string(kMaxRosterRows) + "行，请分成几个文件上传。"});
        return file;
    }
    auto const columns = roster::map_header(header, *kind, file.problems);
    if (!columns) {
        return file;
    }
    if (*kind == RosterKind::members) {
        check_rows(data, *columns, member_row, &RosterMemberRow::number, file.members,
                   file.problems);
    } else {
        check_rows(data, *columns, branch_row, &RosterBranchRow::id, file.branches, file.problems);
    }
    if (table.unterminated_line != 0) {
        file.problems.push_back({table.unterminated_line, "这一行的引号没有闭合。"});
    }
    return file;
}

std::vector<std::string> complete_roles(std::vector<std::string> roles) {
    bool const implies_member = roles.empty() || std::ranges::any_of(roles, [](auto const& r) {
                                    return r == "committee" || r == "secretary";
                                });
    if (implies_member) {
        roles.emplace_back("member");
    }
    std::ranges::sort(roles);
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
    return roles;
}

}  // namespace bense::handlers

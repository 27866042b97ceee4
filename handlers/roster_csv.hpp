// Reading a roster file as Excel in China writes it: CSV in UTF-8 (with or without a BOM) or
// GB18030, members or branches, one row a record. Pure: bytes in, checked rows and the
// problems found (line number and a Chinese reason) out. Nothing here touches Redis.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

// The most rows one file may hold (a whole city's roster fits many times over).
inline constexpr std::size_t kMaxRosterRows = 20000;

enum class MemberStatus { active, transferred, deceased };

struct RosterMemberRow {
    std::size_t line = 0;           // where the record starts in the file, 1-based
    std::string number;             // 编号: the member number, the key of an upsert
    std::string name;               // 姓名
    std::string branch;             // 支部: a branch id or a branch name, as written
    std::string phone;              // 11 digits, or "" when the cell is empty
    std::vector<std::string> roles; // member, committee, secretary, liaison, bureau (sorted, unique)
    MemberStatus status = MemberStatus::active;
    std::optional<bool> smartphone; // 使用智能手机: nullopt when the cell is empty
};

struct RosterBranchRow {
    std::size_t line = 0;
    std::string id;         // 支部编号
    std::string name;       // 支部名称
    std::string unit;       // 原单位
    std::string community;  // 社区
    std::string tier;       // "", "standard" (规范化), "advanced" (先进), "strong" (过硬)
    std::string feature;    // 特色
};

struct RosterProblem {
    std::size_t line = 0;  // 0: the file as a whole
    std::string reason;    // one short Chinese sentence
};

enum class RosterKind { members, branches };

struct RosterFile {
    RosterKind kind = RosterKind::members;
    std::vector<RosterMemberRow> members;
    std::vector<RosterBranchRow> branches;
    std::vector<RosterProblem> problems;  // empty: every row is good
};

// The file's text as UTF-8: a UTF-8 BOM is dropped; valid UTF-8 is kept; anything else is
// read as GB18030. nullopt when it is neither.
std::optional<std::string> roster_text_to_utf8(std::string_view bytes);

// Decodes, splits (RFC 4180: quoted fields, "" inside quotes, CRLF or LF, newlines inside
// quotes), finds the kind by the header row and checks every row. Rows with problems are
// left out of members/branches and listed in problems instead.
RosterFile parse_roster_csv(std::string_view bytes);

// Parses a role written in Chinese or English ("书记", "secretary"); nullopt if unknown.
std::optional<std::string> parse_role(std::string_view text);
bool is_valid_role(std::string_view role);
// Roles as stored: committee and secretary imply member, none means member (bureau or
// liaison alone do not); sorted and unique.
std::vector<std::string> complete_roles(std::vector<std::string> roles);
std::string_view status_name(MemberStatus s);  // "active", "transferred", "deceased"
std::optional<MemberStatus> parse_status_name(std::string_view s);
// Member numbers and branch ids: 1 to 32 of [0-9A-Za-z_-].
bool is_valid_roster_id(std::string_view id);
// A mainland mobile number in any common writing ("138 0000 0000", "+86-138…") as 11 digits;
// nullopt when it is not one.
std::optional<std::string> normalise_phone(std::string_view text);

}  // namespace bense::handlers

// What `bense roster ...` and `bense admin token ...` print: pure functions from values to
// text, so the wording, the tables and the dates are tested without Redis. Dates and times
// are China Standard Time (UTC+8 all year; China has no daylight saving time).
#pragma once

#include "handlers/roster_import.hpp"
#include "server/redis_reply.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

// One code of issue_codes' answer.
struct IssuedCode {
    std::string number;
    std::string name;
    std::string code;
    std::int64_t expires_at = 0;  // Unix seconds
};

// One row of token_list's answer.
struct TokenRow {
    std::string id;
    std::string name;
    std::int64_t created_at = 0;  // Unix seconds; 0 when the store has none
};

// "导入完成：成员 12 行，新增 3，更新 1，未变 8" (支部 for a branches file).
std::string import_summary(ImportReport const& report);
// "第3行：<reason>"; a problem of the file as a whole (line 0) is "文件：<reason>".
std::string problem_line(RosterProblem const& problem);

// "2025-05-01": the date in UTC+8 of Unix time `t`.
std::string china_date(std::int64_t t);
// "2025-05-01 08:30": the same with the time of day.
std::string china_time(std::int64_t t);

// Columns a terminal gives `utf8`: 2 for each East Asian wide character (CJK, full-width
// forms), 1 for anything else. Enough for names and headers; not a full wcwidth.
std::size_t display_width(std::string_view utf8);
// Rows as lines of columns two spaces apart, each column as wide as its widest cell; no
// trailing spaces. The first row is usually the header.
std::string text_table(std::vector<std::vector<std::string>> const& rows);

// issue_codes' rows {number, name, code, expires_at}; malformed rows are left out.
std::vector<IssuedCode> read_issued_codes(std::vector<server::RedisReply> const& issued);
// The table handed out at a meeting: 编号 姓名 绑定码 有效期至 (YYYY-MM-DD, UTC+8).
std::string codes_table(std::vector<IssuedCode> const& codes);

// token_list's rows {id, name, created_at}; malformed rows are left out.
std::vector<TokenRow> read_token_rows(std::vector<server::RedisReply> const& rows);
// 编号 名称 创建时间, sorted by creation time, then id.
std::string tokens_table(std::vector<TokenRow> rows);

// A bureau token's id: the bytes in lower-case hex (4 random bytes give 8 characters).
std::string token_id_from(std::string_view random_bytes);

}  // namespace bense::handlers

// See roster_cli_text.hpp.
#include "handlers/roster_cli_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <tuple>

namespace bense::handlers {
namespace {

constexpr std::int64_t kChinaOffsetSeconds = 8 * 3600;

bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

// The local civil time of `t` in UTC+8, split.
struct CivilTime {
    int year;
    unsigned month;
    unsigned day;
    std::int64_t seconds_of_day;
};

CivilTime china_civil(std::int64_t t) {
    using namespace std::chrono;
    sys_seconds const local{seconds(t + kChinaOffsetSeconds)};
    auto const day = floor<days>(local);
    year_month_day const ymd{day};
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
            (local - day).count()};
}

std::string text_at(server::RedisReply const& row, std::size_t i) {
    return std::string(row.elements[i].text().value_or(""));
}

}  // namespace

std::string import_summary(ImportReport const& report) {
    return fmt::format("导入完成：{} {} 行，新增 {}，更新 {}，未变 {}",
                       report.kind == RosterKind::members ? "成员" : "支部", report.rows, report.created,
                       report.updated, report.unchanged);
}

std::string problem_line(RosterProblem const& problem) {
    if (problem.line == 0) {
        return "文件：" + problem.reason;
    }
    return fmt::format("第{}行：{}", problem.line, problem.reason);
}

std::string china_date(std::int64_t t) {
    auto const c = china_civil(t);
    return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string china_time(std::int64_t t) {
    auto const c = china_civil(t);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", c.year, c.month, c.day, c.seconds_of_day / 3600,
                       c.seconds_of_day / 60 % 60);
}

std::size_t display_width(std::string_view utf8) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < utf8.size();) {
        auto const lead = static_cast<unsigned char>(utf8[i]);
        std::size_t const len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t c = len == 1 ? lead : len == 2 ? (lead & 0x1F) : len == 3 ? (lead & 0x0F) : (lead & 0x07);
        for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k) {
            c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        }
        width += is_wide(c) ? 2 : 1;
        i += len;
    }
    return width;
}

std::string text_table(std::vector<std::vector<std::string>> const& rows) {
    std::vector<std::size_t> widths;
    for (auto const& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t i = 0; i < row.size(); ++i) {
            widths[i] = std::max(widths[i], display_width(row[i]));
        }
    }
    std::string out;
    for (auto const& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) {
                line.append(widths[i] - display_width(row[i]) + 2, ' ');
            }
        }
        line.erase(line.find_last_not_of(' ') + 1);
        out += line + "\n";
    }
    return out;
}

std::vector<IssuedCode> read_issued_codes(std::vector<server::RedisReply> const& issued) {
    std::vector<IssuedCode> out;
    for (auto const& row : issued) {
        if (row.type != server::RedisReply::Type::array || row.elements.size() != 4) {
            continue;
        }
        auto const expires = row.elements[3].as_integer();
        if (!expires) {
            continue;
        }
        out.push_back({text_at(row, 0), text_at(row, 1), text_at(row, 2), *expires});
    }
    return out;
}

std::string codes_table(std::vector<IssuedCode> const& codes) {
    std::vector<std::vector<std::string>> rows{{"编号", "姓名", "绑定码", "有效期至"}};
    for (auto const& c : codes) {
        rows.push_back({c.number, c.name, c.code, china_date(c.expires_at)});
    }
    return text_table(rows);
}

std::vector<TokenRow> read_token_rows(std::vector<server::RedisReply> const& rows) {
    std::vector<TokenRow> out;
    for (auto const& row : rows) {
        if (row.type != server::RedisReply::Type::array || row.elements.size() != 3) {
            continue;
        }
        out.push_back({text_at(row, 0), text_at(row, 1), row.elements[2].as_integer().value_or(0)});
    }
    return out;
}

std::string tokens_table(std::vector<TokenRow> rows) {
    std::ranges::sort(rows, {}, [](TokenRow const& r) { return std::tie(r.created_at, r.id); });
    std::vector<std::vector<std::string>> table{{"编号", "名称", "创建时间"}};
    for (auto const& r : rows) {
        table.push_back({r.id, r.name, r.created_at > 0 ? china_time(r.created_at) : "-"});
    }
    return text_table(table);
}

std::string token_id_from(std::string_view random_bytes) {
    std::string out;
    out.reserve(random_bytes.size() * 2);
    for (unsigned char b : random_bytes) {
        out += fmt::format("{:02x}", b);
    }
    return out;
}

}  // namespace bense::handlers

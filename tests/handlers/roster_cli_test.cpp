// What `bense roster` and `bense admin token` print (handlers/roster_cli_text.cpp): the
// import summary and problem lines, dates in UTC+8, aligned tables with Chinese names, the
// rows read from the store's answers, and token ids.
#include "handlers/roster_cli_text.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;
using bense::server::RedisReply;

namespace {

RedisReply text(std::string s) {
    RedisReply r;
    r.type = RedisReply::Type::string;
    r.str = std::move(s);
    return r;
}

RedisReply array(std::vector<RedisReply> elements) {
    RedisReply r;
    r.type = RedisReply::Type::array;
    r.elements = std::move(elements);
    return r;
}

}  // namespace

TEST_CASE("the import summary names the kind and every count", "[roster_cli]") {
    ImportReport r{RosterKind::members, 12, 3, 1, 8};
    CHECK(import_summary(r) == "导入完成：成员 12 行，新增 3，更新 1，未变 8");
    r.kind = RosterKind::branches;
    CHECK(import_summary(r) == "导入完成：支部 12 行，新增 3，更新 1，未变 8");
}

TEST_CASE("a problem is printed with its line, or as the file's", "[roster_cli]") {
    CHECK(problem_line({7, "“手机号”应是11位数字。"}) == "第7行：“手机号”应是11位数字。");
    CHECK(problem_line({0, "文件是空的。"}) == "文件：文件是空的。");
}

TEST_CASE("dates and times are China Standard Time", "[roster_cli]") {
    CHECK(china_date(0) == "1970-01-01");
    CHECK(china_time(0) == "1970-01-01 08:00");
    // 2024-04-30 15:59:59 UTC is 23:59:59 in Beijing; one second later it is May 1st there.
    CHECK(china_date(1714492799) == "2024-04-30");
    CHECK(china_date(1714492800) == "2024-05-01");
    CHECK(china_time(1714492800) == "2024-05-01 00:00");
    // A leap day, and the year's turn.
    CHECK(china_date(1709222400) == "2024-03-01");
    CHECK(china_date(1709222399) == "2024-02-29");
    CHECK(china_time(1735660800) == "2025-01-01 00:00");
}

TEST_CASE("display width counts CJK and full-width characters twice", "[roster_cli]") {
    CHECK(display_width("") == 0);
    CHECK(display_width("D001") == 4);
    CHECK(display_width("王建国") == 6);
    CHECK(display_width("绑定码（本人）") == 14);
    CHECK(display_width("é") == 1);
}

TEST_CASE("a table aligns its columns by display width, with no trailing spaces", "[roster_cli]") {
    auto const t = text_table({{"编号", "姓名", "绑定码"}, {"D1", "王建国", "123456"}, {"D0002", "李秀英", ""}});
    CHECK(t ==
          "编号   姓名    绑定码\n"
          "D1     王建国  123456\n"
          "D0002  李秀英\n");
}

TEST_CASE("issued codes are read from issue_codes' answer and tabled by date", "[roster_cli]") {
    std::vector<RedisReply> issued{
        array({text("D001"), text("王建国"), text("482913"), text("1714492800")}),
        array({text("D002"), text("刘桂兰")}),  // malformed: left out
        array({text("D003"), text("陈志强"), text("105577"), text("soon")}),
    };
    auto const codes = read_issued_codes(issued);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0].number == "D001");
    CHECK(codes[0].expires_at == 1714492800);
    CHECK(codes_table(codes) ==
          "编号  姓名    绑定码  有效期至\n"
          "D001  王建国  482913  2024-05-01\n");
}

TEST_CASE("tokens are tabled oldest first, never with the token", "[roster_cli]") {
    RedisReply integer;
    integer.type = RedisReply::Type::integer;
    integer.integer = 1714492800;
    auto rows = read_token_rows({array({text("b2"), text("市委组织部"), text("1714500000")}),
                                 array({text("a1"), text("老干部局"), integer}),
                                 array({text("c3"), text("无时间"), text("")}),
                                 array({text("bad")})});
    REQUIRE(rows.size() == 3);
    CHECK(tokens_table(rows) ==
          "编号  名称        创建时间\n"
          "c3    无时间      -\n"
          "a1    老干部局    2024-05-01 00:00\n"
          "b2    市委组织部  2024-05-01 02:00\n");
}

TEST_CASE("a token id is its random bytes in lower-case hex", "[roster_cli]") {
    CHECK(token_id_from(std::string("\x00\x1f\xa0\xff", 4)) == "001fa0ff");
    CHECK(token_id_from("") == "");
}

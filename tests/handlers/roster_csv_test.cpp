// Reading roster files as Excel writes them: encodings, splitting, the header, every check
// of a member or branch row, and the line number and reason of every problem.
#include "handlers/roster_csv.hpp"

#include <iconv.h>

#include <catch2/catch.hpp>

using namespace bense::handlers;

namespace {

using Roles = std::vector<std::string>;
using Problems = std::vector<std::string>;

// Each problem as "line: reason", which Catch prints readably.
Problems problems_of(RosterFile const& f) {
    Problems out;
    for (auto const& p : f.problems) {
        out.push_back(std::to_string(p.line) + ": " + p.reason);
    }
    return out;
}

// `utf8` re-encoded as GB18030 with glibc's converter.
std::string to_gb18030(std::string_view utf8) {
    iconv_t const cd = iconv_open("GB18030", "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string in(utf8);
    std::string out(in.size() * 2 + 4, '\0');
    char* src = in.data();
    char* dst = out.data();
    std::size_t in_left = in.size();
    std::size_t out_left = out.size();
    std::size_t const rc = iconv(cd, &src, &in_left, &dst, &out_left);
    iconv_close(cd);
    REQUIRE(rc != static_cast<std::size_t>(-1));
    out.resize(out.size() - out_left);
    return out;
}

constexpr std::string_view kMemberHeader = "编号,姓名,支部,手机,角色,状态,智能手机\n";
constexpr std::string_view kBranchHeader = "支部编号,支部名称,原单位,社区,等级,特色\n";

RosterFile members(std::string_view rows) {
    return parse_roster_csv(std::string(kMemberHeader) + std::string(rows));
}
RosterFile branches(std::string_view rows) {
    return parse_roster_csv(std::string(kBranchHeader) + std::string(rows));
}

// The one problem of a members file whose only row is `row` (on line 2).
std::string sole_member_problem(std::string_view row) {
    auto const f = members(row);
    CHECK(f.members.empty());
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].line == 2);
    return f.problems[0].reason;
}

Roles roles_of(std::string_view cell) {
    auto const f = members("M1,张三,一支部,,\"" + std::string(cell) + "\",,\n");
    INFO("roles cell: " << cell);
    REQUIRE(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 1);
    return f.members[0].roles;
}

}  // namespace

//------------------------------------------------------------------------------
// Encodings

TEST_CASE("roster: UTF-8 is kept, with its BOM dropped", "[roster]") {
    CHECK(roster_text_to_utf8("编号,姓名") == std::optional<std::string>("编号,姓名"));
    CHECK(roster_text_to_utf8("\xEF\xBB\xBF编号,姓名") == std::optional<std::string>("编号,姓名"));
    CHECK(roster_text_to_utf8("") == std::optional<std::string>(""));
    CHECK(roster_text_to_utf8("\xEF\xBB\xBF") == std::optional<std::string>(""));

    std::string const body = "M001,张三,一支部\n";
    for (std::string const bom : {"", "\xEF\xBB\xBF"}) {
        auto const f = parse_roster_csv(bom + "编号,姓名,支部\n" + body);
        INFO("with BOM: " << !bom.empty());
        CHECK(problems_of(f) == Problems{});
        REQUIRE(f.members.size() == 1);
        CHECK(f.members[0].number == "M001");
        CHECK(f.members[0].name == "张三");
    }
}

TEST_CASE("roster: text that is not UTF-8 is read as GB18030", "[roster]") {
    CHECK(roster_text_to_utf8("\xd0\xd5\xc3\xfb") == std::optional<std::string>("姓名"));
    CHECK(roster_text_to_utf8("\x81\x30\x81\x30") ==
          std::optional<std::string>("\u0080"));  // 4-byte form
    CHECK(roster_text_to_utf8(to_gb18030("𠀀 and 张三")) ==
          std::optional<std::string>("𠀀 and 张三"));
    // Overlong UTF-8 is not UTF-8; these two bytes happen to be one GBK character.
    auto const overlong = roster_text_to_utf8("\xc0\xaf");
    REQUIRE(overlong.has_value());
    CHECK(*overlong != "\xc0\xaf");

    auto const f =
        parse_roster_csv(to_gb18030("编号,姓名,支部,角色\r\nM001,张三,第一支部,书记\r\n"));
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 1);
    CHECK(f.members[0].name == "张三");
    CHECK(f.members[0].branch == "第一支部");
    CHECK(f.members[0].roles == Roles{"member", "secretary"});
}

TEST_CASE("roster: bytes that are neither UTF-8 nor GB18030 are refused", "[roster]") {
    CHECK_FALSE(roster_text_to_utf8("\xff\xfe"));
    CHECK_FALSE(roster_text_to_utf8("\x80"));
    CHECK_FALSE(roster_text_to_utf8("abc\xd0"));           // cut short at the end (EINVAL)
    CHECK_FALSE(roster_text_to_utf8("\xed\xa0\x80"));      // a UTF-8 surrogate, and not GB18030
    CHECK_FALSE(roster_text_to_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF, and not GB18030

    auto const f = parse_roster_csv("编号,姓名,支部\nM1,\xff\xff,x\n");
    CHECK(f.members.empty());
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].line == 0);
    CHECK_THAT(f.problems[0].reason, Catch::Contains("GB18030"));
}

//------------------------------------------------------------------------------
// Splitting

TEST_CASE("roster: quoted cells, CRLF and blank lines keep line numbers right", "[roster]") {
    auto const f = parse_roster_csv(
        "编号,姓名,支部,角色\r\n"
        "\r\n"
        "M1,\"张三\",\"第一支部,东区\",\"书记,支委\"\r\n"
        " , ,\u3000\r\n"
        "M2,\"李\"\"四\"\"\",\"第二\n支部\",\n"
        ",,,\n"
        "M3,王五,三支部,\n"
        "\n");
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 3);
    CHECK(f.members[0].line == 3);
    CHECK(f.members[0].name == "张三");
    CHECK(f.members[0].branch == "第一支部,东区");
    CHECK(f.members[0].roles == Roles{"committee", "member", "secretary"});
    CHECK(f.members[1].line == 5);
    CHECK(f.members[1].name == "李\"四\"");
    CHECK(f.members[1].branch == "第二\n支部");
    CHECK(f.members[2].line == 8);
    CHECK(f.members[2].number == "M3");
}

TEST_CASE("roster: cells are trimmed of spaces, tabs and U+3000, quoted or not", "[roster]") {
    auto const f = members(
        " M1 ,\u3000张三\u3000,\t一支部 ,\" 138 0000 0000 \",\" 书记 \",\u3000正常,\" 是\t\"\n");
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 1);
    auto const& m = f.members[0];
    CHECK(m.number == "M1");
    CHECK(m.name == "张三");
    CHECK(m.branch == "一支部");
    CHECK(m.phone == "13800000000");
    CHECK(m.roles == Roles{"member", "secretary"});
    CHECK(m.smartphone == std::optional<bool>(true));
}

TEST_CASE("roster: a quote left open is a problem at its record's line", "[roster]") {
    auto const f = members("M1,张三,一支部,,,,\nM2,\"李四,二支部\nM3,王五,三支部\n");
    REQUIRE(f.members.size() == 1);
    CHECK(f.members[0].number == "M1");
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].line == 3);
    CHECK_THAT(f.problems[0].reason, Catch::Contains("引号没有闭合"));

    auto const header_only = parse_roster_csv("\"编号,姓名\n");
    REQUIRE(header_only.problems.size() == 1);
    CHECK(header_only.problems[0].line == 1);
    CHECK_THAT(header_only.problems[0].reason, Catch::Contains("引号没有闭合"));
}

TEST_CASE("roster: extra cells are fine when empty, else a problem", "[roster]") {
    auto const ok = members("M1,张三,一支部,,,,,, ,\u3000\n");
    CHECK(problems_of(ok) == Problems{});
    CHECK(ok.members.size() == 1);
    CHECK(sole_member_problem("M1,张三,一支部,,,,,多余\n") ==
          "这一行比表头多出几列，请检查是否有多余的逗号。");
}

TEST_CASE("roster: short records leave the missing cells empty", "[roster]") {
    auto const f = members("M1,张三,一支部\n");
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 1);
    CHECK(f.members[0].phone == "");
    CHECK(f.members[0].roles == Roles{"member"});
    CHECK(f.members[0].status == MemberStatus::active);
    CHECK(f.members[0].smartphone == std::nullopt);
    CHECK(sole_member_problem("M1,张三\n") == "支部不能为空。");
}

//------------------------------------------------------------------------------
// The header

TEST_CASE("roster: every member column alias is understood", "[roster]") {
    auto const header = GENERATE(as<std::string>{}, "编号,姓名,支部,手机,角色,状态,智能手机",
                                 "党员编号,姓名,所在支部,手机号,职务,状态,使用智能手机",
                                 "会员编号,姓名,支部,手机号码,角色,状态,智能手机",
                                 "编号,姓名,支部,电话,角色,状态,智能手机",
                                 "number,name,branch,phone,roles,status,smartphone",
                                 "NUMBER,Name,Branch,Phone,Roles,STATUS,SmartPhone",
                                 " 编号 ,\u3000姓名,\"支部\",手机,角色,状态,智能手机");
    INFO("header: " << header);
    auto const f = parse_roster_csv(header + "\nM-01,张三,一支部,13800000000,书记,转出,否\n");
    CHECK(f.kind == RosterKind::members);
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 1);
    auto const& m = f.members[0];
    CHECK(m.line == 2);
    CHECK(m.number == "M-01");
    CHECK(m.name == "张三");
    CHECK(m.branch == "一支部");
    CHECK(m.phone == "13800000000");
    CHECK(m.roles == Roles{"member", "secretary"});
    CHECK(m.status == MemberStatus::transferred);
    CHECK(m.smartphone == std::optional<bool>(false));
}

TEST_CASE("roster: every branch column alias is understood", "[roster]") {
    auto const header = GENERATE(
        as<std::string>{}, "支部编号,支部名称,原单位,社区,等级,特色",
        "编号,支部名称,原单位,所在社区,支部等级,支部特色", "支部编号,名称,原单位,社区,等级,特色",
        "id,name,unit,community,tier,feature", "ID,Name,UNIT,Community,Tier,Feature");
    INFO("header: " << header);
    auto const f = parse_roster_csv(header + "\nB01,第一支部,市财政局,东门社区,先进,读书会\n");
    CHECK(f.kind == RosterKind::branches);
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.branches.size() == 1);
    auto const& b = f.branches[0];
    CHECK(b.line == 2);
    CHECK(b.id == "B01");
    CHECK(b.name == "第一支部");
    CHECK(b.unit == "市财政局");
    CHECK(b.community == "东门社区");
    CHECK(b.tier == "advanced");
    CHECK(b.feature == "读书会");
}

TEST_CASE("roster: unknown columns are ignored, in any place", "[roster]") {
    auto const f =
        parse_roster_csv("备注,编号,身份证号,姓名,支部,\nx,M1,110101194001011234,张三,一支部,\n");
    CHECK(problems_of(f) == Problems{});
    REQUIRE(f.members.size() == 1);
    CHECK(f.members[0].number == "M1");
    CHECK(f.members[0].name == "张三");
    CHECK(f.members[0].branch == "一支部");
}

TEST_CASE("roster: a header of neither kind is one problem and no rows", "[roster]") {
    auto const f = parse_roster_csv("\n编号,手机,备注\nM1,13800000000,x\n");
    CHECK(f.members.empty());
    CHECK(f.branches.empty());
    CHECK(problems_of(f) == Problems{"2: 表头里没有“姓名”或“支部名称”列，无法识别这份名单。"});
    CHECK(problems_of(parse_roster_csv("名称,原单位\n一,二\n")) ==
          Problems{"1: 表头里没有“姓名”或“支部名称”列，无法识别这份名单。"});
}

TEST_CASE("roster: an empty file has no header", "[roster]") {
    for (std::string_view text : {"", "\n\r\n", ",,\n \n", "\xEF\xBB\xBF"}) {
        auto const f = parse_roster_csv(text);
        REQUIRE(f.problems.size() == 1);
        CHECK(f.problems[0].line == 0);
        CHECK(f.members.empty());
    }
}

TEST_CASE("roster: a missing required column is named at line 1", "[roster]") {
    CHECK(problems_of(parse_roster_csv("姓名,支部\n张三,一支部\n")) ==
          Problems{"1: 表头缺少“编号”列。"});
    CHECK(problems_of(parse_roster_csv("姓名\n张三\n")) ==
          Problems{"1: 表头缺少“编号”列。", "1: 表头缺少“支部”列。"});
    CHECK(problems_of(parse_roster_csv("支部名称,原单位\n一支部,财政局\n")) ==
          Problems{"1: 表头缺少“支部编号”列。"});
    auto const f = parse_roster_csv("编号,姓名\nM1,张三\n");
    CHECK(f.members.empty());
    CHECK(f.kind == RosterKind::members);
}

TEST_CASE("roster: a column given twice is a problem at line 1", "[roster]") {
    auto const twice = parse_roster_csv("编号,姓名,支部,姓名\nM1,张三,一支部,李四\n");
    CHECK(twice.members.empty());
    CHECK(problems_of(twice) == Problems{"1: 表头里“姓名”列出现了两次。"});
    auto const aliases = parse_roster_csv("编号,姓名,支部,手机,电话\nM1,张三,一支部,,\n");
    CHECK(aliases.members.empty());
    CHECK(problems_of(aliases) == Problems{"1: 表头里“手机”和“电话”是同一列，只能留一列。"});
    auto const unknown_twice = parse_roster_csv("编号,姓名,支部,备注,备注\nM1,张三,一支部,,\n");
    CHECK(problems_of(unknown_twice) == Problems{});
}

TEST_CASE("roster: more rows than kMaxRosterRows is one problem and no rows", "[roster]") {
    std::string text(kMemberHeader);
    for (std::size_t i = 1; i <= kMaxRosterRows + 1; ++i) {
        text += "M" + std::to_string(i) + ",张三,一支部\n";
    }
    auto const f = parse_roster_csv(text);
    CHECK(f.members.empty());
    REQUIRE(f.problems.size() == 1);
    CHECK(f.problems[0].line == 0);
    CHECK_THAT(f.problems[0].reason, Catch::Contains(std::to_string(kMaxRosterRows)));

    auto const last_row = text.rfind("M" + std::to_string(kMaxRosterRows + 1));
    auto const at_limit = parse_roster_csv(std::string_view(text).substr(0, last_row));
    CHECK(at_limit.problems.empty());
    CHECK(at_limit.members.size() == kMaxRosterRows);
    CHECK(at_limit.members.back().line == kMaxRosterRows + 1);
}

//------------------------------------------------------------------------------
// Member rows

TEST_CASE("roster: member number, name and branch are checked", "[roster]") {
    CHECK(sole_member_problem(",张三,一支部\n") == "编号不能为空。");
    CHECK(sole_member_problem("M 1,张三,一支部\n") ==
          "编号“M 1”只能由字母、数字、下划线和短横线组成，最多32位。");
    CHECK_THAT(sole_member_problem(std::string(33, '1') + ",张三,一支部\n"),
               Catch::Contains("最多32位"));
    CHECK(sole_member_problem("M1,,一支部\n") == "姓名不能为空。");
    CHECK(sole_member_problem("M1,\u3000,一支部\n") == "姓名不能为空。");
    CHECK(sole_member_problem("M1,张三,\n") == "支部不能为空。");

    std::string name32;
    for (int i = 0; i < 32; ++i) {
        name32 += "张";
    }
    CHECK(members("M1," + name32 + ",一支部\n").members.size() == 1);
    CHECK(sole_member_problem("M1," + name32 + "三,一支部\n") == "姓名太长了，最多32个字。");
    std::string branch64;
    for (int i = 0; i < 64; ++i) {
        branch64 += "支";
    }
    CHECK(members("M1,张三," + branch64 + "\n").members.size() == 1);
    CHECK(sole_member_problem("M1,张三," + branch64 + "部\n") == "支部太长了，最多64个字。");
}

TEST_CASE("roster: status words", "[roster]") {
    auto const status_of = [](std::string_view cell) {
        auto const f = members("M1,张三,一支部,,," + std::string(cell) + ",\n");
        INFO("status cell: " << cell);
        REQUIRE(problems_of(f) == Problems{});
        return f.members.at(0).status;
    };
    for (auto cell : {"", "正常", "在册", "active", "Active"}) {
        CHECK(status_of(cell) == MemberStatus::active);
    }
    for (auto cell : {"转出", "已转出", "transferred", "TRANSFERRED"}) {
        CHECK(status_of(cell) == MemberStatus::transferred);
    }
    for (auto cell : {"去世", "已故", "逝世", "deceased"}) {
        CHECK(status_of(cell) == MemberStatus::deceased);
    }
    CHECK(sole_member_problem("M1,张三,一支部,,,退休,\n") == "“状态”只能填 正常、转出 或 去世。");
}

TEST_CASE("roster: smartphone words", "[roster]") {
    auto const smartphone_of = [](std::string_view cell) {
        auto const f = members("M1,张三,一支部,,,," + std::string(cell) + "\n");
        INFO("smartphone cell: " << cell);
        REQUIRE(problems_of(f) == Problems{});
        return f.members.at(0).smartphone;
    };
    CHECK(smartphone_of("") == std::nullopt);
    for (auto cell : {"是", "有", "会", "y", "yes", "1", "true", "Y", "YES", "True"}) {
        CHECK(smartphone_of(cell) == std::optional<bool>(true));
    }
    for (auto cell : {"否", "无", "不会", "n", "no", "0", "false", "N", "No", "FALSE"}) {
        CHECK(smartphone_of(cell) == std::optional<bool>(false));
    }
    CHECK(sole_member_problem("M1,张三,一支部,,,,偶尔\n") == "“智能手机”只能填 是 或 否。");
}

TEST_CASE("roster: roles are split, parsed, and imply member", "[roster]") {
    CHECK(roles_of("") == Roles{"member"});
    CHECK(roles_of("党员") == Roles{"member"});
    CHECK(roles_of("书记") == Roles{"member", "secretary"});
    CHECK(roles_of("支委") == Roles{"committee", "member"});
    CHECK(roles_of("联络员") == Roles{"liaison"});
    CHECK(roles_of("老干部局") == Roles{"bureau"});
    CHECK(roles_of("局机关/党建指导员") == Roles{"bureau", "liaison"});
    CHECK(roles_of("联络员、党员") == Roles{"liaison", "member"});
    CHECK(roles_of("支部书记、支委委员") == Roles{"committee", "member", "secretary"});
    CHECK(roles_of("委员，联络员") == Roles{"committee", "liaison", "member"});
    CHECK(roles_of("书记;支委；党员,联络员 老干部局\u3000委员/书记") ==
          Roles{"bureau", "committee", "liaison", "member", "secretary"});
    CHECK(roles_of("Secretary BUREAU") == Roles{"bureau", "member", "secretary"});
    CHECK(roles_of("、、书记、、") == Roles{"member", "secretary"});
    CHECK(sole_member_problem("M1,张三,一支部,,组长,,\n") ==
          "角色“组长”不认识，只能填 党员、支委、书记、联络员 或 老干部局。");
}

TEST_CASE("roster: parse_role and is_valid_role", "[roster]") {
    CHECK(parse_role("党员") == std::optional<std::string>("member"));
    CHECK(parse_role("支委") == std::optional<std::string>("committee"));
    CHECK(parse_role("支委委员") == std::optional<std::string>("committee"));
    CHECK(parse_role("委员") == std::optional<std::string>("committee"));
    CHECK(parse_role("书记") == std::optional<std::string>("secretary"));
    CHECK(parse_role("支部书记") == std::optional<std::string>("secretary"));
    CHECK(parse_role("联络员") == std::optional<std::string>("liaison"));
    CHECK(parse_role("党建指导员") == std::optional<std::string>("liaison"));
    CHECK(parse_role("老干部局") == std::optional<std::string>("bureau"));
    CHECK(parse_role("局机关") == std::optional<std::string>("bureau"));
    for (std::string role : {"member", "committee", "secretary", "liaison", "bureau"}) {
        CHECK(parse_role(role) == std::optional<std::string>(role));
        std::string upper = role;
        for (auto& c : upper) {
            c = static_cast<char>(c - 'a' + 'A');
        }
        CHECK(parse_role(upper) == std::optional<std::string>(role));
        CHECK(is_valid_role(role));
        CHECK_FALSE(is_valid_role(upper));
    }
    CHECK_FALSE(parse_role("组长"));
    CHECK_FALSE(parse_role(""));
    CHECK_FALSE(is_valid_role("书记"));
    CHECK_FALSE(is_valid_role(""));
}

TEST_CASE("roster: phone numbers in any common writing", "[roster]") {
    auto const some = [](char const* s) { return std::optional<std::string>(s); };
    CHECK(normalise_phone("13800001234") == some("13800001234"));
    CHECK(normalise_phone("138 0000 1234") == some("13800001234"));
    CHECK(normalise_phone("138-0000-1234") == some("13800001234"));
    CHECK(normalise_phone("(138)0000 1234") == some("13800001234"));
    CHECK(normalise_phone("+86 138 0000 1234") == some("13800001234"));
    CHECK(normalise_phone("+86-13800001234") == some("13800001234"));
    CHECK(normalise_phone("(+86)13800001234") == some("13800001234"));
    CHECK(normalise_phone("8613800001234") == some("13800001234"));
    CHECK(normalise_phone("86 138 0000 1234") == some("13800001234"));
    CHECK(normalise_phone("\u3000138\u30000000\u30001234") == some("13800001234"));
    CHECK_FALSE(normalise_phone(""));
    CHECK_FALSE(normalise_phone("12345"));
    CHECK_FALSE(normalise_phone("1380000123"));      // 10 digits
    CHECK_FALSE(normalise_phone("138000012345"));    // 12 digits
    CHECK_FALSE(normalise_phone("23800001234"));     // does not start with 1
    CHECK_FALSE(normalise_phone("+8623800001234"));  // nor after +86
    CHECK_FALSE(normalise_phone("+8513800001234"));
    CHECK_FALSE(normalise_phone("1380000123a"));
    CHECK_FALSE(normalise_phone("138.0000.1234"));
    CHECK_FALSE(normalise_phone("1.38E+10"));  // what Excel makes of a long number

    auto const f = members("M1,张三,一支部,+86 138-0000-1234,,,\n");
    REQUIRE(f.members.size() == 1);
    CHECK(f.members[0].phone == "13800001234");
    CHECK(sole_member_problem("M1,张三,一支部,12345,,,\n") == "手机号“12345”不是11位手机号。");
    CHECK(sole_member_problem("M1,张三,一支部,23800001234,,,\n") ==
          "手机号“23800001234”不是11位手机号。");
}

TEST_CASE("roster: a row's problems are all reported, each with its line", "[roster]") {
    auto const f = members(
        "M1,张三,一支部,13800000000,书记,正常,是\n"
        ",,,12345,组长,退休,偶尔,多余\n"
        "M3,王五,三支部,,,,\n");
    REQUIRE(f.members.size() == 2);
    CHECK(f.members[0].line == 2);
    CHECK(f.members[1].line == 4);
    CHECK(problems_of(f) ==
          Problems{
              "3: 这一行比表头多出几列，请检查是否有多余的逗号。",
              "3: 编号不能为空。",
              "3: 姓名不能为空。",
              "3: 支部不能为空。",
              "3: 手机号“12345”不是11位手机号。",
              "3: 角色“组长”不认识，只能填 党员、支委、书记、联络员 或 老干部局。",
              "3: “状态”只能填 正常、转出 或 去世。",
              "3: “智能手机”只能填 是 或 否。",
          });
}

TEST_CASE("roster: a long bad value is cut short in its reason", "[roster]") {
    std::string const long_phone(40, '9');
    auto const reason = sole_member_problem("M1,张三,一支部," + long_phone + ",,,\n");
    CHECK(reason == "手机号“" + std::string(20, '9') + "…”不是11位手机号。");
}

TEST_CASE("roster: a member number repeated is a problem on the later line", "[roster]") {
    auto const f = members(
        "M1,张三,一支部\n"
        "M2,李四,一支部\n"
        "M1,王五,二支部\n"
        "\n"
        "M1,赵六,二支部\n"
        "M2,钱七,,\n");
    REQUIRE(f.members.size() == 2);
    CHECK(f.members[0].name == "张三");
    CHECK(f.members[1].name == "李四");
    CHECK(problems_of(f) == Problems{
                                "4: 编号 M1 与第 2 行重复。",
                                "6: 编号 M1 与第 2 行重复。",
                                "7: 支部不能为空。",
                                "7: 编号 M2 与第 3 行重复。",
                            });
}

//------------------------------------------------------------------------------
// Branch rows

TEST_CASE("roster: branch tiers", "[roster]") {
    auto const tier_of = [](std::string_view cell) {
        auto const f = branches("B1,一支部,,," + std::string(cell) + ",\n");
        INFO("tier cell: " << cell);
        REQUIRE(problems_of(f) == Problems{});
        return f.branches.at(0).tier;
    };
    CHECK(tier_of("") == "");
    for (auto cell : {"规范化", "规范化支部", "standard", "Standard"}) {
        CHECK(tier_of(cell) == "standard");
    }
    for (auto cell : {"先进", "先进支部", "advanced", "ADVANCED"}) {
        CHECK(tier_of(cell) == "advanced");
    }
    for (auto cell : {"过硬", "过硬支部", "strong"}) {
        CHECK(tier_of(cell) == "strong");
    }
    auto const f = branches("B1,一支部,,,优秀,\n");
    CHECK(f.branches.empty());
    CHECK(problems_of(f) == Problems{"2: “等级”只能填 规范化、先进 或 过硬。"});
}

TEST_CASE("roster: branch rows are checked", "[roster]") {
    std::string text128;
    for (int i = 0; i < 128; ++i) {
        text128 += "单";
    }
    auto const f = branches(
        "B1,一支部,市财政局,东门社区,过硬,读书会\n"
        ",二支部,,,,\n"
        "B 3,,,,,\n"
        "B4,四支部," +
        text128 + "," + text128 + ",," + text128 +
        "\n"
        "B5,五支部," +
        text128 + "位,社区" + text128 + ",,特色" + text128 +
        "\n"
        "B1,一支部重复,,,,\n");
    REQUIRE(f.branches.size() == 2);
    CHECK(f.kind == RosterKind::branches);
    CHECK(f.branches[0].id == "B1");
    CHECK(f.branches[0].tier == "strong");
    CHECK(f.branches[1].id == "B4");
    CHECK(f.branches[1].line == 5);
    CHECK(f.members.empty());
    CHECK(problems_of(f) == Problems{
                                "3: 支部编号不能为空。",
                                "4: 支部编号“B 3”只能由字母、数字、下划线和短横线组成，最多32位。",
                                "4: 支部名称不能为空。",
                                "6: 原单位太长了，最多128个字。",
                                "6: 社区太长了，最多128个字。",
                                "6: 特色太长了，最多128个字。",
                                "7: 编号 B1 与第 2 行重复。",
                            });
}

//------------------------------------------------------------------------------
// Small values

TEST_CASE("roster: status names", "[roster]") {
    for (auto s : {MemberStatus::active, MemberStatus::transferred, MemberStatus::deceased}) {
        CHECK(parse_status_name(status_name(s)) == std::optional<MemberStatus>(s));
    }
    CHECK(status_name(MemberStatus::active) == "active");
    CHECK(status_name(MemberStatus::transferred) == "transferred");
    CHECK(status_name(MemberStatus::deceased) == "deceased");
    CHECK_FALSE(parse_status_name("正常"));
    CHECK_FALSE(parse_status_name(""));
    CHECK_FALSE(parse_status_name("Active"));
}

TEST_CASE("roster: ids are 1 to 32 of [0-9A-Za-z_-]", "[roster]") {
    CHECK(is_valid_roster_id("M001"));
    CHECK(is_valid_roster_id("a_b-C9"));
    CHECK(is_valid_roster_id(std::string(32, 'x')));
    CHECK_FALSE(is_valid_roster_id(""));
    CHECK_FALSE(is_valid_roster_id(std::string(33, 'x')));
    CHECK_FALSE(is_valid_roster_id("M 1"));
    CHECK_FALSE(is_valid_roster_id("M.1"));
    CHECK_FALSE(is_valid_roster_id("编号1"));
}

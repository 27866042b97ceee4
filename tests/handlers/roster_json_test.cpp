#include "handlers/roster_json.hpp"

#include "server/digest.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::handlers;

namespace {

rapidjson::Document doc(char const* text) {
    rapidjson::Document d;
    d.Parse(text);
    REQUIRE(d.IsObject());
    return d;
}

std::string field(RosterInput const& in, std::string const& name) {
    for (std::size_t i = 0; i + 1 < in.fields.size(); i += 2) {
        if (in.fields[i] == name) {
            return in.fields[i + 1];
        }
    }
    return "<absent>";
}

}  // namespace

TEST_CASE("a new member's input is checked, trimmed, and the phone kept as a keyed hash", "[roster][json]") {
    auto in = parse_member_input(
        doc(R"({"number":"m1","name":" 王建国 ","branch":"b1","phone":"+86 138-0000-0001","status":"正常","smartphone":true})"),
        true, "key");
    REQUIRE(in.has_value());
    CHECK(in->id == "m1");
    CHECK(field(*in, "name") == "王建国");
    CHECK(field(*in, "branch") == "b1");
    CHECK(field(*in, "phone_hash") == server::hmac_sha256_hex("key", "13800000001"));
    CHECK(field(*in, "status") == "active");
    CHECK(field(*in, "smartphone") == "1");
}

TEST_CASE("member input is refused with a reason a clerk understands", "[roster][json]") {
    auto reason = [](char const* text, bool creating = true) {
        auto r = parse_member_input(doc(text), creating, "key");
        REQUIRE_FALSE(r.has_value());
        return r.error().reason;
    };
    CHECK(reason(R"({"name":"王","branch":"b1"})").find("编号") != std::string::npos);
    CHECK(reason(R"({"number":"m1","branch":"b1"})") == "姓名不能为空。");
    CHECK(reason(R"({"number":"m1","name":"王"})") == "支部不能为空。");
    CHECK(reason(R"({"number":"m1","name":"王","branch":"b1","phone":"110"})").find("手机号") != std::string::npos);
    CHECK(reason(R"({"number":"m1","name":"王","branch":"b1","status":"?"})").find("状态") != std::string::npos);
    CHECK(reason(R"({"number":"m1","name":"王","branch":"b1","smartphone":"是"})").find("智能手机") != std::string::npos);
    CHECK(reason(R"({"number":"m1","name":"王","branch":"b1","roles":["member"]})").find("设置角色") != std::string::npos);
    CHECK(reason(R"({"number":"m1","name":"王","branch":"b1","idcard":"1"})").find("idcard") != std::string::npos);
    CHECK(reason(R"({"number":"m1","name":1,"branch":"b1"})") == "姓名应是文字。");
    CHECK(reason(R"({"name":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"})", false).find("太长") !=
          std::string::npos);
    CHECK(reason(R"({})", false) == "没有要修改的内容。");
    CHECK(reason(R"({"number":"m2"})", false) == "编号不能修改。");
    CHECK(reason(R"({"branch":"b2"})", false).find("转接") != std::string::npos);
}

TEST_CASE("an update may clear the phone and change one field only", "[roster][json]") {
    auto in = parse_member_input(doc(R"({"phone":null})"), false, "key");
    REQUIRE(in.has_value());
    CHECK(in->fields == std::vector<std::string>{"phone_hash", ""});
    auto st = parse_member_input(doc(R"({"status":"去世"})"), false, "key");
    REQUIRE(st.has_value());
    CHECK(field(*st, "status") == "deceased");
}

TEST_CASE("branch input: id and name to create, the tier in words", "[roster][json]") {
    auto in = parse_branch_input(doc(R"({"id":"b1","name":"第一支部","tier":"过硬","community":"光明路社区"})"), true);
    REQUIRE(in.has_value());
    CHECK(in->id == "b1");
    CHECK(field(*in, "tier") == "strong");
    CHECK(field(*in, "community") == "光明路社区");
    CHECK_FALSE(parse_branch_input(doc(R"({"name":"x"})"), true).has_value());
    CHECK_FALSE(parse_branch_input(doc(R"({"id":"b 1","name":"x"})"), true).has_value());
    CHECK_FALSE(parse_branch_input(doc(R"({"id":"b1"})"), true).has_value());
    CHECK_FALSE(parse_branch_input(doc(R"({"id":"b1"})"), false).has_value());
    CHECK_FALSE(parse_branch_input(doc(R"({"tier":"特级"})"), false).has_value());
    CHECK_FALSE(parse_branch_input(doc(R"({"secretary":"m1"})"), false).has_value());
}

TEST_CASE("roles: words or codes, completed, and unknown ones refused", "[roster][json]") {
    auto roles = [](char const* text) {
        auto r = parse_roles_input(doc(text));
        REQUIRE(r.has_value());
        return *r;
    };
    CHECK(roles(R"({"roles":["书记"]})") == "member,secretary");
    CHECK(roles(R"({"roles":[]})") == "member");
    CHECK(roles(R"({"roles":["bureau"]})") == "bureau");
    CHECK_FALSE(parse_roles_input(doc(R"({"roles":["将军"]})")).has_value());
    CHECK_FALSE(parse_roles_input(doc(R"({"roles":"member"})")).has_value());
    CHECK_FALSE(parse_roles_input(doc(R"({"roles":[1]})")).has_value());
}

TEST_CASE("what the API answers: a member without secrets, a branch with its people", "[roster][json]") {
    FieldMap m{{"number", "m1"},      {"name", "王建国"},     {"branch", "b1"},        {"branch_name", "第一支部"},
               {"roles", "member,secretary"}, {"status", "active"}, {"smartphone", ""}, {"has_phone", "1"},
               {"self_bindings", "1"}, {"proxy_bindings", "2"}, {"created_at", "100"}, {"updated_at", "200"}};
    CHECK(member_json(m) ==
          R"({"number":"m1","name":"王建国","branch":{"id":"b1","name":"第一支部"},"roles":["member","secretary"],)"
          R"("status":"active","smartphone":null,"has_phone":true,"bound":true,"proxies":2,"created_at":100,"updated_at":200})");
    FieldMap b{{"id", "b1"}, {"name", "第一支部"}, {"members", "3"}, {"secretaries", "m1:王建国"}, {"liaisons", ""}};
    CHECK(branch_json(b) ==
          R"({"id":"b1","name":"第一支部","unit":"","community":"","tier":"","feature":"","members":3,)"
          R"("secretaries":[{"number":"m1","name":"王建国"}],"liaisons":[],"created_at":0,"updated_at":0})");
    MemberSummary s{"m3", "张德明", "b1", "第一支部", {"member"}, "active", true};
    CHECK(summary_json(s) == R"({"number":"m3","name":"张德明","branch":{"id":"b1","name":"第一支部"},)"
                             R"("roles":["member"],"status":"active","acting_as":"proxy"})");
    CHECK(json_array({}) == "[]");
    CHECK(json_array({"1", "2"}) == "[1,2]");
}

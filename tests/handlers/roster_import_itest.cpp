// Roster import through the admin API against real Redis: Excel's encodings, all rows or
// none, re-import as a no-op, and a report a clerk can act on.
#include "handlers/roster_import.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

#include <iconv.h>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

std::string to_gb18030(std::string const& utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 2 + 8, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    REQUIRE(iconv(cd, &in, &in_left, &dst, &out_left) != static_cast<std::size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - out_left);
    return out;
}

struct Import {
    RosterFixture f;
    std::string token = f.bureau_token();
    ApiAnswer send(std::string const& csv) {
        return f.call(verb::post, "/api/v1/admin/roster/import", csv, token, "text/csv");
    }
};

}  // namespace

TEST_CASE("branches then members import from UTF-8 with a BOM and from GB18030", "[roster][import]") {
    Import i;
    auto branches = i.send("\xEF\xBB\xBF" + demo_branches_csv());
    REQUIRE(branches.status == 200);
    CHECK(std::string(branches.json["kind"].GetString()) == "branches");
    CHECK(branches.json["created"].GetInt() == 2);
    auto members = i.send(to_gb18030(demo_members_csv()));
    REQUIRE(members.status == 200);
    CHECK(std::string(members.json["kind"].GetString()) == "members");
    CHECK(members.json["rows"].GetInt() == 4);
    CHECK(members.json["created"].GetInt() == 4);
    auto m2 = i.f.call(verb::get, "/api/v1/admin/members/m2", {}, i.token);
    REQUIRE(m2.status == 200);
    CHECK(std::string(m2.json["name"].GetString()) == "李秀英");
    CHECK(std::string(m2.json["branch"]["id"].GetString()) == "b1");  // written by name in the file
    auto m1 = i.f.call(verb::get, "/api/v1/admin/members/m1", {}, i.token);
    CHECK(m1.json["roles"].Size() == 2);  // 书记: secretary and member
    // The phone is a keyed hash, never the number.
    CHECK(shared_redis().command({"KEYS", "*1380000000*"}).elements.empty());
    CHECK(m1.json["has_phone"].GetBool());
}

TEST_CASE("re-importing the same file changes nothing, not even the audit stream", "[roster][import]") {
    Import i;
    REQUIRE(i.send(demo_branches_csv()).status == 200);
    REQUIRE(i.send(demo_members_csv()).status == 200);
    auto const snapshot = i.f.roster_snapshot();
    auto const audit = i.f.audit_length();
    auto again = i.send(demo_members_csv());
    REQUIRE(again.status == 200);
    CHECK(again.json["unchanged"].GetInt() == 4);
    CHECK(again.json["created"].GetInt() == 0);
    CHECK(again.json["updated"].GetInt() == 0);
    CHECK(i.send(demo_branches_csv()).json["unchanged"].GetInt() == 2);
    CHECK(i.f.roster_snapshot() == snapshot);
    CHECK(i.f.audit_length() == audit);
    // A changed row is an update, audited once.
    auto changed = demo_members_csv();
    changed.replace(changed.find("张德明,b1,,党员,正常,否"), std::string("张德明,b1,,党员,正常,否").size(),
                    "张德明,b1,,党员,正常,是");
    auto updated = i.send(changed);
    CHECK(updated.json["updated"].GetInt() == 1);
    CHECK(i.f.audit_length() == audit + 1);
}

TEST_CASE("a bad row aborts the whole file, keeps what was stored, and says where", "[roster][import]") {
    Import i;
    REQUIRE(i.send(demo_branches_csv()).status == 200);
    REQUIRE(i.send(demo_members_csv()).status == 200);
    auto const snapshot = i.f.roster_snapshot();
    auto bad = i.send("编号,姓名,支部,手机号,状态\n"
                      "m1,王建国改,b1,13800000001,正常\n"  // a good change, which must not be applied
                      "m7,,b1,,正常\n"                     // no name
                      "m8,赵六,b1,12345,失联\n");            // bad phone and status
    REQUIRE(bad.status == 400);
    CHECK(bad.error_code() == "roster.import_invalid");
    CHECK(std::string(bad.json["error"]["message"].GetString()).find("3处问题") != std::string::npos);
    REQUIRE(bad.json["problems"].Size() == 3);
    CHECK(bad.json["problems"][0]["line"].GetInt() == 3);
    CHECK(bad.json["problems"][1]["line"].GetInt() == 4);
    CHECK(i.f.roster_snapshot() == snapshot);

    // A problem only the store can see (a branch nobody created) also stops every row.
    auto unknown = i.send("编号,姓名,支部\nm5,周五,b1\nm6,吴六,不存在的支部\n");
    REQUIRE(unknown.status == 400);
    REQUIRE(unknown.json["problems"].Size() == 1);
    CHECK(unknown.json["problems"][0]["line"].GetInt() == 3);
    CHECK(std::string(unknown.json["problems"][0]["reason"].GetString()).find("不存在") != std::string::npos);
    CHECK(i.f.roster_snapshot() == snapshot);
}

TEST_CASE("files that are no roster are refused whole", "[roster][import]") {
    Import i;
    auto const snapshot = i.f.roster_snapshot();
    CHECK(i.send("").error_code() == "roster.import_invalid");
    CHECK(i.send("a,b,c\n1,2,3\n").error_code() == "roster.import_invalid");
    CHECK(i.send("\xff\xfe\x00\x41").error_code() == "roster.import_invalid");
    CHECK(i.send("编号,姓名,支部\n\"m1,王,b1\n").error_code() == "roster.import_invalid");
    CHECK(i.f.call(verb::post, "/api/v1/admin/roster/import", demo_branches_csv()).status == 401);
    CHECK(i.f.roster_snapshot() == snapshot);
}

// The admin API against real Redis: the bureau everywhere, a secretary in their own branch
// only, every change in the audit stream, every refusal leaving the roster as it was.
#include "handlers/admin_routes.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

struct Admin {
    RosterFixture f;
    std::string bureau;
    std::string secretary;  // 王建国, secretary of b1
    Admin() {
        f.import_demo();
        bureau = f.bureau_token();
        secretary = f.bound_session("o-wang", "m1");
    }
};

}  // namespace

TEST_CASE("the bureau lists every branch with its secretaries, a secretary sees their own", "[roster][admin]") {
    Admin a;
    auto all = a.f.call(verb::get, "/api/v1/admin/branches", {}, a.bureau);
    REQUIRE(all.status == 200);
    REQUIRE(all.json["branches"].Size() == 2);
    auto const& b1 = all.json["branches"][0];
    CHECK(std::string(b1["name"].GetString()) == "示范第一党支部");
    CHECK(std::string(b1["tier"].GetString()) == "standard");
    CHECK(b1["members"].GetInt() == 3);
    CHECK(std::string(b1["secretaries"][0]["name"].GetString()) == "王建国");
    auto own = a.f.call(verb::get, "/api/v1/admin/branches", {}, a.secretary);
    REQUIRE(own.status == 200);
    REQUIRE(own.json["branches"].Size() == 1);
    CHECK(std::string(own.json["branches"][0]["id"].GetString()) == "b1");
}

TEST_CASE("a plain member, a proxy or an unbound user is no admin", "[roster][admin]") {
    Admin a;
    auto const member = a.f.bound_session("o-li", "m2");
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches", {}, member).status == 403);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches", {}, a.f.login("o-nobody")).status == 403);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches").status == 401);
    auto const proxy = a.f.login("o-wang-daughter");
    REQUIRE(a.f.call(verb::post, "/api/v1/binding", R"({"code":")" + a.f.code_for("m1", "proxy") + R"("})", proxy)
                .status == 200);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches", {}, proxy).status == 403);
}

TEST_CASE("a secretary outside their branch is refused and nothing changes", "[roster][admin]") {
    Admin a;
    auto const before = a.f.roster_snapshot();
    auto check_403 = [&](verb v, std::string const& target, std::string const& body = "{}") {
        auto r = a.f.call(v, target, body, a.secretary);
        CHECK(r.status == 403);
        CHECK(r.error_code() == "auth.forbidden");
    };
    check_403(verb::get, "/api/v1/admin/branches/b2");
    check_403(verb::patch, "/api/v1/admin/branches/b2", R"({"feature":"改了"})");
    check_403(verb::get, "/api/v1/admin/members/m9");
    check_403(verb::patch, "/api/v1/admin/members/m9", R"({"name":"改名"})");
    check_403(verb::delete_, "/api/v1/admin/members/m9");
    check_403(verb::post, "/api/v1/admin/members/m9/transfer", R"({"branch":"b1"})");
    check_403(verb::post, "/api/v1/admin/members/m9/binding-codes", R"({"kind":"self"})");
    check_403(verb::delete_, "/api/v1/admin/members/m9/bindings");
    check_403(verb::get, "/api/v1/admin/branches/b2/members");
    check_403(verb::post, "/api/v1/admin/branches/b2/binding-codes");
    check_403(verb::post, "/api/v1/admin/members", R"({"number":"m20","name":"新人","branch":"b2"})");
    check_403(verb::post, "/api/v1/admin/branches", R"({"id":"b3","name":"新支部"})");
    check_403(verb::delete_, "/api/v1/admin/branches/b1");
    // Within the branch, a secretary may not hand out elevated roles or change the tier.
    check_403(verb::put, "/api/v1/admin/members/m2/roles", R"({"roles":["secretary"]})");
    check_403(verb::patch, "/api/v1/admin/branches/b1", R"({"tier":"过硬"})");
    check_403(verb::post, "/api/v1/admin/roster/import", "编号,姓名,支部\nm5,新,b1\n");
    CHECK(a.f.roster_snapshot() == before);
}

TEST_CASE("a secretary moves a member out and sees where they went, but leaves office-holders alone",
          "[roster][admin]") {
    Admin a;
    REQUIRE(a.f.call(verb::put, "/api/v1/admin/members/m2/roles", R"({"roles":["联络员"]})", a.bureau).status == 200);
    auto const before = a.f.roster_snapshot();
    for (auto [v, target] : {std::pair{verb::delete_, "/api/v1/admin/members/m2"},
                             {verb::delete_, "/api/v1/admin/members/m2/bindings"},
                             {verb::post, "/api/v1/admin/members/m2/transfer"}}) {
        CHECK(a.f.call(v, target, R"({"branch":"b2"})", a.secretary).error_code() == "auth.forbidden");
    }
    CHECK(a.f.roster_snapshot() == before);
    auto moved = a.f.call(verb::post, "/api/v1/admin/members/m3/transfer", R"({"branch":"b2"})", a.secretary);
    REQUIRE(moved.status == 200);
    CHECK(std::string(moved.json["branch"]["id"].GetString()) == "b2");
    CHECK(a.f.call(verb::get, "/api/v1/admin/members/m3", {}, a.secretary).status == 403);
}

TEST_CASE("a bureau token is nobody's account", "[roster][admin]") {
    Admin a;
    CHECK(a.f.call(verb::get, "/api/v1/me", {}, a.bureau).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::delete_, "/api/v1/session", {}, a.bureau).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::post, "/api/v1/binding", R"({"code":"123456"})", a.bureau).error_code() == "auth.forbidden");
}

TEST_CASE("a secretary manages members of their own branch, audited", "[roster][admin]") {
    Admin a;
    auto const audit = a.f.audit_length();
    auto created = a.f.call(verb::post, "/api/v1/admin/members",
                            R"({"number":"m4","name":" 刘桂兰 ","branch":"b1","phone":"138-0000-0004","smartphone":false})",
                            a.secretary);
    REQUIRE(created.status == 201);
    CHECK(std::string(created.json["name"].GetString()) == "刘桂兰");
    CHECK(created.json["has_phone"].GetBool());
    CHECK(created.json["smartphone"].GetBool() == false);
    CHECK(created.json["bound"].GetBool() == false);
    CHECK(created.body.find("13800000004") == std::string::npos);

    auto changed = a.f.call(verb::patch, "/api/v1/admin/members/m4", R"({"status":"转出","phone":""})", a.secretary);
    REQUIRE(changed.status == 200);
    CHECK(std::string(changed.json["status"].GetString()) == "transferred");
    CHECK(changed.json["has_phone"].GetBool() == false);

    auto roles = a.f.call(verb::put, "/api/v1/admin/members/m2/roles", R"({"roles":["支委"]})", a.secretary);
    REQUIRE(roles.status == 200);
    CHECK(roles.json["roles"].Size() == 2);  // committee implies member

    auto list = a.f.call(verb::get, "/api/v1/admin/branches/b1/members", {}, a.secretary);
    CHECK(list.json["members"].Size() == 4);
    auto gone = a.f.call(verb::delete_, "/api/v1/admin/members/m4", {}, a.secretary);
    CHECK(gone.status == 200);
    CHECK(a.f.call(verb::get, "/api/v1/admin/members/m4", {}, a.secretary).status == 404);

    // create, update, roles, delete: four entries, each naming who did it and from where.
    auto entries = a.f.call(verb::get, "/api/v1/admin/audit?count=4", {}, a.bureau);
    REQUIRE(entries.json["entries"].Size() == 4);
    std::vector<std::string> actions;
    for (auto const& e : entries.json["entries"].GetArray()) {
        actions.push_back(e["action"].GetString());
        CHECK(std::string(e["actor"].GetString()) == "member:m1");
        CHECK(std::string(e["from"].GetString()) == "127.0.0.1");
        CHECK(e["at"].GetInt64() == kWxNow);
    }
    CHECK(actions == std::vector<std::string>{"member.delete", "member.update", "member.update", "member.create"});
    CHECK(a.f.audit_length() == audit + 4);
}

TEST_CASE("the bureau creates branches, transfers members, assigns roles and unbinds", "[roster][admin]") {
    Admin a;
    auto b3 = a.f.call(verb::post, "/api/v1/admin/branches",
                       R"({"id":"b3","name":"示范第三党支部","community":"文化路社区","tier":"先进"})", a.bureau);
    REQUIRE(b3.status == 201);
    CHECK(std::string(b3.json["tier"].GetString()) == "advanced");
    CHECK(a.f.call(verb::post, "/api/v1/admin/branches", R"({"id":"b3","name":"重复"})", a.bureau).status == 409);
    CHECK(a.f.call(verb::post, "/api/v1/admin/branches", R"({"id":"b4","name":"示范第三党支部"})", a.bureau)
              .error_code() == "branch.name_taken");

    auto moved = a.f.call(verb::post, "/api/v1/admin/members/m3/transfer", R"({"branch":"示范第三党支部"})", a.bureau);
    REQUIRE(moved.status == 200);
    CHECK(std::string(moved.json["branch"]["id"].GetString()) == "b3");
    CHECK(a.f.call(verb::post, "/api/v1/admin/members/m3/transfer", R"({"branch":"b404"})", a.bureau).error_code() ==
          "branch.not_found");
    CHECK(a.f.call(verb::delete_, "/api/v1/admin/branches/b3", {}, a.bureau).error_code() == "branch.not_empty");

    auto roles = a.f.call(verb::put, "/api/v1/admin/members/m3/roles", R"({"roles":["书记"]})", a.bureau);
    CHECK(roles.status == 200);
    auto b3_now = a.f.call(verb::get, "/api/v1/admin/branches/b3", {}, a.bureau);
    CHECK(std::string(b3_now.json["secretaries"][0]["number"].GetString()) == "m3");

    // Unbinding: the secretary's session no longer acts as anyone.
    auto unbound = a.f.call(verb::delete_, "/api/v1/admin/members/m1/bindings", {}, a.bureau);
    CHECK(unbound.status == 200);
    CHECK(unbound.json["bound"].GetBool() == false);
    CHECK(a.f.call(verb::get, "/api/v1/me", {}, a.secretary).error_code() == "member.not_bound");
}

TEST_CASE("bad admin input gets a reason and changes nothing", "[roster][admin]") {
    Admin a;
    auto const before = a.f.roster_snapshot();
    auto bad = [&](verb v, std::string const& target, std::string const& body, std::string const& code) {
        auto r = a.f.call(v, target, body, a.bureau);
        CHECK(r.error_code() == code);
        CHECK(r.status >= 400);
        return r;
    };
    auto phone = bad(verb::post, "/api/v1/admin/members", R"({"number":"m5","name":"甲","branch":"b1","phone":"12345"})",
                     "request.bad_field");
    CHECK(std::string(phone.json["error"]["message"].GetString()).find("手机号") != std::string::npos);
    bad(verb::post, "/api/v1/admin/members", R"({"number":"m 5","name":"甲","branch":"b1"})", "request.bad_field");
    bad(verb::post, "/api/v1/admin/members", R"({"number":"m5","branch":"b1"})", "request.bad_field");
    bad(verb::post, "/api/v1/admin/members", R"({"number":"m5","name":"甲","branch":"nowhere"})", "branch.not_found");
    bad(verb::post, "/api/v1/admin/members", R"({"number":"m1","name":"甲","branch":"b1"})", "member.exists");
    bad(verb::post, "/api/v1/admin/members", R"({"number":"m5","name":"甲","branch":"b1","id_card":"x"})",
        "request.bad_field");
    bad(verb::post, "/api/v1/admin/members", R"({"number":"m5","name":"甲","branch":"b1","status":"失联"})",
        "request.bad_field");
    bad(verb::post, "/api/v1/admin/members", "[1,2]", "request.bad_json");
    bad(verb::patch, "/api/v1/admin/members/m2", R"({})", "request.bad_field");
    bad(verb::patch, "/api/v1/admin/members/m2", R"({"branch":"b2"})", "request.bad_field");
    bad(verb::patch, "/api/v1/admin/members/m404", R"({"name":"谁"})", "member.not_found");
    bad(verb::put, "/api/v1/admin/members/m2/roles", R"({"roles":["将军"]})", "request.bad_field");
    bad(verb::put, "/api/v1/admin/members/m2/roles", R"({"roles":"member"})", "request.bad_field");
    bad(verb::post, "/api/v1/admin/members/m2/transfer", R"({})", "request.bad_field");
    bad(verb::post, "/api/v1/admin/members/m2/binding-codes", R"({"kind":"boss"})", "request.bad_field");
    bad(verb::post, "/api/v1/admin/branches", R"({"name":"无编号"})", "request.bad_field");
    bad(verb::patch, "/api/v1/admin/branches/b1", R"({"tier":"特级"})", "request.bad_field");
    bad(verb::patch, "/api/v1/admin/branches/b1", R"({"id":"b9"})", "request.bad_field");
    bad(verb::get, "/api/v1/admin/audit?count=0", {}, "request.bad_field");
    bad(verb::get, "/api/v1/admin/audit?before=abc", {}, "request.bad_field");
    bad(verb::get, "/api/v1/admin/audit?before=--", {}, "request.bad_field");
    bad(verb::patch, "/api/v1/admin/members/m2", R"({"name":" "})", "request.bad_field");
    bad(verb::patch, "/api/v1/admin/branches/b1", R"({"name":""})", "request.bad_field");
    CHECK(a.f.roster_snapshot() == before);
}

TEST_CASE("codes for a branch meeting: every unbound active member, the same ones again", "[roster][admin]") {
    Admin a;  // m1 is bound already
    auto first = a.f.call(verb::post, "/api/v1/admin/branches/b1/binding-codes", "{}", a.secretary);
    REQUIRE(first.status == 200);
    REQUIRE(first.json["codes"].Size() == 2);  // m2 and m3
    CHECK(std::string(first.json["codes"][0]["number"].GetString()) == "m2");
    std::string const code = first.json["codes"][0]["code"].GetString();
    CHECK(code.size() == 6);
    CHECK(first.json["codes"][0]["expires_at"].GetInt64() == kWxNow + 30 * 86400);
    auto again = a.f.call(verb::post, "/api/v1/admin/branches/b1/binding-codes", "{}", a.secretary);
    CHECK(std::string(again.json["codes"][0]["code"].GetString()) == code);
    auto fresh = a.f.call(verb::post, "/api/v1/admin/branches/b1/binding-codes", R"({"reuse":false})", a.secretary);
    std::string const renewed = fresh.json["codes"][0]["code"].GetString();
    CHECK(renewed != code);
    // The replaced code no longer works.
    auto old = a.f.call(verb::post, "/api/v1/binding", R"({"code":")" + code + R"("})", a.f.login("o-li"));
    CHECK(old.error_code() == "bind.code_wrong");
}

TEST_CASE("the audit stream pages back and shows a secretary only their branch", "[roster][admin]") {
    Admin a;
    for (int i = 0; i < 3; ++i) {
        a.f.call(verb::patch, "/api/v1/admin/branches/b2", R"({"feature":"特色)" + std::to_string(i) + R"("})", a.bureau);
    }
    auto page = a.f.call(verb::get, "/api/v1/admin/audit?count=2", {}, a.bureau);
    REQUIRE(page.json["entries"].Size() == 2);
    std::string const last = page.json["entries"][1]["id"].GetString();
    auto next = a.f.call(verb::get, "/api/v1/admin/audit?count=2&before=" + last, {}, a.bureau);
    REQUIRE(next.json["entries"].Size() == 2);
    CHECK(std::string(next.json["entries"][0]["id"].GetString()) < last);
    auto mine = a.f.call(verb::get, "/api/v1/admin/audit?count=200", {}, a.secretary);
    REQUIRE(mine.status == 200);
    for (auto const& e : mine.json["entries"].GetArray()) {
        CHECK(std::string(e["branch"].GetString()) == "b1");
    }
    // The stream has no route that edits or deletes it.
    CHECK(a.f.call(verb::delete_, "/api/v1/admin/audit", {}, a.bureau).status == 405);
}

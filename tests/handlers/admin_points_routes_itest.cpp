// The points admin API against real Redis: manual awards and deductions once per request id,
// reversals, the secretary's decision on pending entries, branch and bureau views, the
// bureau's in-branch ranking setting and the CSV export; every refusal leaves the slot as it
// was.
#include "handlers/admin_routes.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

struct Admins {
    RosterFixture f;
    std::string bureau;
    std::string secretary;     // m1 王建国, secretary of b1
    std::string secretary_b2;  // m9 陈志强, secretary of b2
    Admins() {
        f.import_demo();
        bureau = f.bureau_token();
        secretary = f.bound_session("o-wang", "m1");
        secretary_b2 = f.bound_session("o-chen", "m9");
    }
    ApiAnswer give(std::string const& number, std::string const& body, std::string const& token) {
        return f.call(verb::post, "/api/v1/admin/members/" + number + "/points", body, token);
    }
    long long total(std::string const& number, char const* key = "total") {
        auto r = f.call(verb::get, "/api/v1/admin/members/" + number + "/points", {}, bureau);
        REQUIRE(r.status == 200);
        return r.json[key].GetInt64();
    }
};

std::string str(rapidjson::Value const& v) { return {v.GetString(), v.GetStringLength()}; }

}  // namespace

TEST_CASE("a secretary awards and deducts by hand, once per request id, with who acted", "[points][admin]") {
    Admins a;
    auto first = a.give("m2", R"({"action":"manual.award","points":3,"reason":"帮助社区宣讲","request_id":"req-0001"})",
                        a.secretary);
    REQUIRE(first.status == 201);
    CHECK(first.json["points"].GetInt() == 3);
    CHECK_FALSE(first.json["duplicate"].GetBool());
    // A double click sends the same request id: the same entry, nothing added.
    auto again = a.give("m2", R"({"action":"manual.award","points":3,"reason":"帮助社区宣讲","request_id":"req-0001"})",
                        a.secretary);
    CHECK(again.status == 200);
    CHECK(again.json["duplicate"].GetBool());
    CHECK(str(again.json["entry"]) == str(first.json["entry"]));
    auto minus = a.give("m2", R"({"action":"manual.deduct","points":-1,"reason":"重复登记","request_id":"req-0002"})",
                        a.bureau);
    REQUIRE(minus.status == 201);
    CHECK(a.total("m2") == 2);
    auto ledger = a.f.call(verb::get, "/api/v1/admin/members/m2/points", {}, a.secretary);
    REQUIRE(ledger.json["entries"].Size() == 2);
    CHECK(str(ledger.json["entries"][0]["by"]) == "token:bureau");
    CHECK(str(ledger.json["entries"][1]["by"]) == "member:m1");
    CHECK(str(ledger.json["entries"][1]["reason"]) == "帮助社区宣讲");
    CHECK(str(ledger.json["entries"][1]["reference"]) == "manual:req-0001");
    // A rule that needs confirmation is confirmed by the secretary who awards it.
    auto volunteer = a.give("m3", R"({"action":"volunteer.confirmed","request_id":"req-0003"})", a.secretary);
    REQUIRE(volunteer.status == 201);
    CHECK(volunteer.json["points"].GetInt() == 5);
    CHECK(str(volunteer.json["status"]).empty());
}

TEST_CASE("awards that cannot be given are refused and write nothing", "[points][admin]") {
    Admins a;
    auto const member = a.f.bound_session("o-li", "m2");
    auto const before = a.f.roster_snapshot();
    auto refused = [&](std::string const& number, std::string const& body, std::string const& token) {
        auto r = a.give(number, body, token);
        CHECK(a.f.roster_snapshot() == before);
        return r;
    };
    // A secretary outside their branch.
    auto outside = refused("m9", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001"})",
                           a.secretary);
    CHECK(outside.status == 403);
    CHECK(outside.error_code() == "auth.forbidden");
    CHECK(refused("m2", R"({"action":"manual.bonus","points":3,"reason":"x","request_id":"req-0001"})", a.secretary)
              .error_code() == "points.unknown_action");
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"request_id":"req-0001"})", a.secretary)
              .error_code() == "points.reason_required");
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"reason":"  ","request_id":"req-0001"})", a.secretary)
              .error_code() == "points.reason_required");
    CHECK(refused("m2", R"({"action":"manual.deduct","points":3,"reason":"x","request_id":"req-0001"})", a.secretary)
              .error_code() == "points.bad_amount");
    CHECK(refused("m2", R"({"action":"manual.award","points":101,"reason":"x","request_id":"req-0001"})", a.secretary)
              .error_code() == "points.bad_amount");
    CHECK(refused("m2", R"({"action":"manual.award","reason":"x","request_id":"req-0001"})", a.secretary)
              .error_code() == "points.bad_amount");
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"reason":"x"})", a.secretary).error_code() ==
          "request.bad_field");
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"reason":"x","request_id":"short"})", a.secretary)
              .error_code() == "request.bad_field");
    CHECK(refused("m2", R"({"action":"checkin.party_day","request_id":"req-0001"})", a.secretary).error_code() ==
          "request.bad_field");
    CHECK(refused("m2", R"({"action":"manual.award","points":"3","reason":"x","request_id":"req-0001"})", a.secretary)
              .error_code() == "request.bad_field");
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001","by":"m9"})",
                  a.secretary)
              .error_code() == "request.bad_field");
    CHECK(refused("nobody", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001"})", a.bureau)
              .error_code() == "member.not_found");
    CHECK(refused("m2", "not json", a.secretary).status == 400);
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001"})", "").status ==
          401);
    // A bureau token that is none (never made, or revoked): 401 whatever the body. A good body
    // goes to the ledger's function, which finds no such token; a bad one is refused first.
    std::string const stranger = "bt_no-such-bureau-token";
    auto const unknown =
        refused("m2", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001"})", stranger);
    CHECK(unknown.status == 401);
    CHECK(unknown.error_code() == "auth.unauthorized");
    CHECK(refused("m2", "not json", stranger).status == 401);
    CHECK(refused("m2", R"({"action":"manual.bonus","points":3,"reason":"x","request_id":"req-0001"})", stranger)
              .status == 401);
    CHECK(refused("nobody", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001"})", stranger)
              .status == 401);
    // A plain member (no admin role) may not award anyone, not even themselves.
    CHECK(refused("m2", R"({"action":"manual.award","points":3,"reason":"x","request_id":"req-0001"})", member)
              .status == 403);
}

TEST_CASE("a reversal takes back exactly what an entry gave, once, and frees its cap", "[points][admin]") {
    Admins a;
    auto const entry = a.f.award("m2", "checkin.party_day", "checkin:a1", 5, kWxNow);
    CHECK(a.total("m2") == 5);
    auto const path = "/api/v1/admin/members/m2/points/" + entry + "/reversal";
    auto before = a.f.roster_snapshot();
    CHECK(a.f.call(verb::post, path, R"({})", a.secretary).error_code() == "points.reason_required");
    CHECK(a.f.call(verb::post, path, R"({"reason":"签错了"})", a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::post, "/api/v1/admin/members/m2/points/1-1/reversal", R"({"reason":"x"})", a.secretary)
              .error_code() == "points.entry_not_found");
    CHECK(a.f.call(verb::post, "/api/v1/admin/members/m2/points/abc/reversal", R"({"reason":"x"})", a.secretary)
              .error_code() == "points.entry_not_found");
    CHECK(a.f.roster_snapshot() == before);
    auto r = a.f.call(verb::post, path, R"({"reason":"签错了活动"})", a.secretary);
    REQUIRE(r.status == 201);
    CHECK(r.json["points"].GetInt() == -5);
    CHECK(str(r.json["status"]) == "reversal");
    CHECK(a.total("m2") == 0);
    CHECK(a.total("m2", "year_total") == 0);
    auto twice = a.f.call(verb::post, path, R"({"reason":"签错了活动"})", a.secretary);
    CHECK(twice.status == 200);
    CHECK(twice.json["duplicate"].GetBool());
    CHECK(a.total("m2") == 0);
    auto const reversal = str(r.json["entry"]);
    CHECK(a.f.call(verb::post, "/api/v1/admin/members/m2/points/" + reversal + "/reversal", R"({"reason":"x"})",
                   a.secretary)
              .error_code() == "points.not_reversible");
    // Both entries stay in the ledger, the reversal naming the original.
    auto ledger = a.f.call(verb::get, "/api/v1/admin/members/m2/points", {}, a.secretary);
    REQUIRE(ledger.json["entries"].Size() == 2);
    CHECK(str(ledger.json["entries"][0]["about"]) == entry);
    // The member's own view shows both, with the reason.
    auto mine = a.f.call(verb::get, "/api/v1/me/points", {}, a.f.bound_session("o-li", "m2"));
    CHECK(mine.json["entries"].Size() == 2);
    CHECK(str(mine.json["entries"][0]["reason"]) == "签错了活动");
}

TEST_CASE("a pending entry waits for the secretary, who confirms or rejects it once", "[points][admin]") {
    Admins a;
    auto const e1 = a.f.award("m2", "checkin.volunteer", "checkin:v1", 3, kWxNow - 60, true);
    auto const e2 = a.f.award("m3", "checkin.volunteer", "checkin:v1", 3, kWxNow - 30, true);
    CHECK(a.total("m2") == 0);
    auto list = a.f.call(verb::get, "/api/v1/admin/branches/b1/points/pending", {}, a.secretary);
    REQUIRE(list.status == 200);
    REQUIRE(list.json["pending"].Size() == 2);
    CHECK(str(list.json["pending"][0]["entry"]) == e1);
    CHECK(str(list.json["pending"][0]["name"]) == "李秀英");
    CHECK(list.json["pending"][0]["points"].GetInt() == 3);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b1/points/pending", {}, a.secretary_b2).error_code() ==
          "auth.forbidden");

    auto const confirm = "/api/v1/admin/members/m2/points/" + e1 + "/decision";
    CHECK(a.f.call(verb::post, confirm, R"({"confirm":"yes"})", a.secretary).error_code() == "request.bad_field");
    CHECK(a.f.call(verb::post, confirm, R"({"confirm":true})", a.secretary_b2).error_code() == "auth.forbidden");
    auto ok = a.f.call(verb::post, confirm, R"({"confirm":true})", a.secretary);
    REQUIRE(ok.status == 201);
    CHECK(ok.json["points"].GetInt() == 3);
    CHECK(str(ok.json["status"]) == "confirmed");
    CHECK(a.total("m2") == 3);
    CHECK(a.f.call(verb::post, confirm, R"({"confirm":true})", a.secretary).json["duplicate"].GetBool());
    CHECK(a.total("m2") == 3);

    auto const reject = "/api/v1/admin/members/m3/points/" + e2 + "/decision";
    CHECK(a.f.call(verb::post, reject, R"({"confirm":false})", a.secretary).error_code() == "points.reason_required");
    auto no = a.f.call(verb::post, reject, R"({"confirm":false,"reason":"当天没有参加"})", a.secretary);
    REQUIRE(no.status == 201);
    CHECK(no.json["points"].GetInt() == 0);
    CHECK(str(no.json["status"]) == "rejected");
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b1/points/pending", {}, a.secretary).json["pending"].Size() == 0);
    // An entry that was never pending cannot be decided.
    auto const plain = a.f.award("m2", "checkin.party_day", "checkin:a1", 5, kWxNow);
    CHECK(a.f.call(verb::post, "/api/v1/admin/members/m2/points/" + plain + "/decision", R"({"confirm":true})",
                   a.secretary)
              .error_code() == "points.not_pending");
}

TEST_CASE("a secretary sees their branch by member number, a ranking only when the bureau turns it on",
          "[points][admin]") {
    Admins a;
    a.f.award("m2", "checkin.party_day", "checkin:a1", 5, kWxNow);
    a.f.award("m3", "checkin.party_day", "checkin:a1", 5, kWxNow);
    a.f.award("m3", "lecture.finish", "lecture:l1", 2, kWxNow);
    a.f.award("m9", "checkin.party_day", "checkin:a9", 5, kWxNow);
    a.f.award("m2", "checkin.party_day", "checkin:old", 5, kWxNow - 400 * 86400);

    auto b1 = a.f.call(verb::get, "/api/v1/admin/branches/b1/points", {}, a.secretary);
    REQUIRE(b1.status == 200);
    CHECK(b1.json["year_total"].GetInt() == 12);
    CHECK(b1.json["total"].GetInt() == 17);
    CHECK_FALSE(b1.json["ranking_enabled"].GetBool());
    CHECK_FALSE(b1.json.HasMember("ranking"));
    REQUIRE(b1.json["members"].Size() == 3);
    CHECK(str(b1.json["members"][0]["number"]) == "m1");
    CHECK(str(b1.json["members"][1]["number"]) == "m2");
    CHECK(b1.json["members"][1]["year_total"].GetInt() == 5);
    CHECK(b1.json["members"][1]["total"].GetInt() == 10);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b1/points?year=2023", {}, a.secretary).json["year_total"]
              .GetInt() == 5);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b1/points?year=twenty", {}, a.secretary).error_code() ==
          "request.bad_field");
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b2/points", {}, a.secretary).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/nope/points", {}, a.bureau).error_code() == "branch.not_found");

    auto all = a.f.call(verb::get, "/api/v1/admin/points/branches", {}, a.bureau);
    REQUIRE(all.status == 200);
    REQUIRE(all.json["branches"].Size() == 2);
    CHECK(str(all.json["branches"][1]["id"]) == "b2");
    CHECK(all.json["branches"][1]["year_total"].GetInt() == 5);
    CHECK(all.json["branches"][0]["members"].GetInt() == 3);
    CHECK(a.f.call(verb::get, "/api/v1/admin/points/branches", {}, a.secretary).error_code() == "auth.forbidden");

    // Only the bureau turns the ranking on, and it is audited.
    auto const settings = "/api/v1/admin/branches/b1/points/settings";
    CHECK(a.f.call(verb::put, settings, R"({"ranking":true})", a.secretary).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::put, settings, R"({"ranking":1})", a.bureau).error_code() == "request.bad_field");
    auto const audited = a.f.audit_length();
    REQUIRE(a.f.call(verb::put, settings, R"({"ranking":true})", a.bureau).status == 200);
    CHECK(a.f.audit_length() == audited + 1);
    auto ranked = a.f.call(verb::get, "/api/v1/admin/branches/b1/points", {}, a.secretary);
    REQUIRE(ranked.json.HasMember("ranking"));
    auto const& ranking = ranked.json["ranking"];
    REQUIRE(ranking.Size() == 3);
    CHECK(str(ranking[0]["number"]) == "m3");
    CHECK(ranking[0]["rank"].GetInt() == 1);
    CHECK(ranking[1]["rank"].GetInt() == 2);
    CHECK(ranking[2]["rank"].GetInt() == 3);
    // Members never see one: their own view has no one else in it.
    auto mine = a.f.call(verb::get, "/api/v1/me/points", {}, a.f.bound_session("o-li", "m2"));
    CHECK_FALSE(mine.json.HasMember("ranking"));
    CHECK(mine.body.find("m3") == std::string::npos);
    REQUIRE(a.f.call(verb::put, settings, R"({"ranking":false})", a.bureau).status == 200);
    CHECK_FALSE(a.f.call(verb::get, "/api/v1/admin/branches/b1/points", {}, a.secretary).json.HasMember("ranking"));
}

TEST_CASE("a member's ledger exports as CSV that Excel opens", "[points][admin]") {
    Admins a;
    a.f.award("m2", "checkin.party_day", "checkin:a1", 5, kWxNow - 60);
    a.give("m2", R"({"action":"manual.deduct","points":-2,"reason":"重复登记, 扣回","request_id":"req-0001"})",
           a.secretary);
    auto csv = a.f.call(verb::get, "/api/v1/admin/members/m2/points/export", {}, a.secretary);
    REQUIRE(csv.status == 200);
    CHECK(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
    auto const first_line = csv.body.substr(3, csv.body.find("\r\n") - 3);
    CHECK(first_line.rfind("党员编号,", 0) == 0);
    auto const row1 = csv.body.find("主题党日");
    auto const row2 = csv.body.find("手动扣分");
    REQUIRE(row1 != std::string::npos);
    REQUIRE(row2 != std::string::npos);
    CHECK(row1 < row2);  // oldest first
    CHECK(csv.body.find("\"重复登记, 扣回\"") != std::string::npos);
    CHECK(csv.body.find(",-2,") != std::string::npos);
    CHECK(a.f.call(verb::get, "/api/v1/admin/members/m9/points/export", {}, a.secretary).error_code() ==
          "auth.forbidden");
}

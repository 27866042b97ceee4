// The activities admin API against real Redis, the in-process server and the fake WeChat:
// creating, changing, cancelling and recording activities (every refusal leaving the slot as
// it was), the code and the scanned code, proxy check-ins, attendance per activity, per
// branch and month and across branches.
#include "handlers/beijing_time.hpp"
#include "handlers/module.hpp"
#include "support/activity_fixture.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

struct Admins : ActivityFixture {
    // A b1 activity starting at `start`, by its secretary.
    std::string party_day(std::int64_t start = kStart) { return create(start_json("主题党日", start), secretary); }
    ApiAnswer proxy(std::string const& id, std::string const& number, std::string const& token) {
        return post("/" + id + "/checkins", R"({"member":")" + number + R"("})", token);
    }
};

}  // namespace

TEST_CASE("a secretary creates their branch's activity and the bureau a city-wide one", "[activity][admin]") {
    Admins a;
    auto created = a.post("", start_json("12月主题党日", kStart, R"(,"place":"活动室","lat":34.8,"lng":117.5,"radius":150)"),
                          a.secretary);
    REQUIRE(created.status == 201);
    auto const& j = created.json;
    CHECK(str(j["branch"]) == "b1");  // the secretary's own by default
    CHECK(str(j["type"]) == "party_day");
    CHECK(j["end"].GetInt64() == kStart + 7200);
    CHECK(j["opens"].GetInt64() == kStart - 3600);
    CHECK(j["closes"].GetInt64() == kStart + 7200 + 3600);
    CHECK(j["radius"].GetInt() == 150);
    CHECK(str(j["status"]) == "scheduled");
    CHECK(str(j["created_by"]) == "member:m1");
    CHECK(created.body.find("secret") == std::string::npos);
    auto const id = str(j["id"]);
    auto const secret = shared_redis().command({"HGET", "bense:{roster}:activity:" + id, "secret"}).str;
    CHECK(secret.size() == 32);  // 16 random bytes as hex
    auto city = a.post("", R"({"type":"党课","title":"全市党课","branch":"*","start":)" + std::to_string(kStart) + "}",
                       a.bureau);
    REQUIRE(city.status == 201);
    CHECK(str(city.json["branch"]) == "*");
    CHECK(str(city.json["type"]) == "party_lecture");
    CHECK(a.get("/" + id, a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(a.get("/" + str(city.json["id"]), a.secretary_b2).status == 200);  // city-wide: every branch reads it
    CHECK(a.get("/a999", a.bureau).error_code() == "activity.not_found");
    CHECK(a.get("/" + id, a.li).error_code() == "auth.forbidden");  // a member is no admin
}

TEST_CASE("creating with a bad field, out of scope or unknown branch writes nothing", "[activity][admin]") {
    Admins a;
    auto const before = a.f.roster_snapshot();
    auto refused = [&](std::string const& body, std::string const& token) {
        auto r = a.post("", body, token);
        CHECK(a.f.roster_snapshot() == before);
        return r;
    };
    auto past = refused(start_json("主题党日", kWxNow - 60), a.secretary);
    CHECK(past.status == 400);
    CHECK(past.error_code() == "request.bad_field");
    CHECK(str(past.json["error"]["message"]).find("已经过去") != std::string::npos);
    CHECK(refused(R"({"start":)" + std::to_string(kStart) + "}", a.secretary).error_code() == "request.bad_field");
    CHECK(refused(R"({"title":"主题党日"})", a.secretary).error_code() == "request.bad_field");
    CHECK(refused(start_json("主题党日", kStart, R"(,"colour":"red")"), a.secretary).error_code() == "request.bad_field");
    CHECK(refused(start_json("主题党日", kStart, R"(,"radius":100)"), a.secretary).error_code() == "request.bad_field");
    CHECK(refused(start_json("主题党日", kStart, R"(,"type":"picnic")"), a.secretary).error_code() == "request.bad_field");
    CHECK(refused(start_json("主题党日", kStart, R"(,"end":)" + std::to_string(kStart - 1)), a.secretary).status == 400);
    CHECK(refused("not json", a.secretary).error_code() == "request.bad_json");
    CHECK(refused(start_json("主题党日", kStart), a.bureau).error_code() == "request.bad_field");  // which branch?
    CHECK(refused(start_json("主题党日", kStart, R"(,"branch":"b2")"), a.secretary).error_code() == "auth.forbidden");
    CHECK(refused(start_json("主题党日", kStart, R"(,"branch":"*")"), a.secretary).error_code() == "auth.forbidden");
    CHECK(refused(start_json("主题党日", kStart, R"(,"branch":"b99")"), a.bureau).error_code() == "branch.not_found");
    CHECK(refused(start_json("主题党日", kStart), a.li).error_code() == "auth.forbidden");
    CHECK(refused(start_json("主题党日", kStart), "").status == 401);
}

TEST_CASE("a change applies what is sent and refusals change nothing", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    auto changed = a.f.call(verb::patch, "/api/v1/admin/activities/" + id, R"({"title":"改期的主题党日","place":"会议室"})",
                            a.secretary);
    REQUIRE(changed.status == 200);
    CHECK(str(changed.json["title"]) == "改期的主题党日");
    CHECK(str(changed.json["place"]) == "会议室");
    CHECK(changed.json["start"].GetInt64() == kStart);
    // A longer activity keeps its default close an hour after the new end.
    auto longer = a.f.call(verb::patch, "/api/v1/admin/activities/" + id, R"({"end":)" + std::to_string(kStart + 4 * 3600) + "}",
                           a.secretary);
    REQUIRE(longer.status == 200);
    CHECK(longer.json["closes"].GetInt64() == kStart + 5 * 3600);
    auto moved = a.f.call(verb::patch, "/api/v1/admin/activities/" + id, R"({"start":)" + std::to_string(kStart + kDay) + "}",
                          a.bureau);
    REQUIRE(moved.status == 200);
    CHECK(moved.json["end"].GetInt64() == kStart + kDay + 4 * 3600);
    CHECK(moved.json["opens"].GetInt64() == kStart + kDay - 3600);
    CHECK(a.f.call(verb::patch, "/api/v1/admin/activities/" + id, "{}", a.secretary).status == 200);

    auto const before = a.f.roster_snapshot();
    auto patch = [&](std::string const& target, std::string const& body, std::string const& token) {
        auto r = a.f.call(verb::patch, "/api/v1/admin/activities/" + target, body, token);
        CHECK(a.f.roster_snapshot() == before);
        return r;
    };
    CHECK(patch(id, R"({"title":""})", a.secretary).error_code() == "request.bad_field");
    CHECK(patch(id, R"({"branch":"b2"})", a.bureau).error_code() == "request.bad_field");
    CHECK(patch(id, R"({"start":)" + std::to_string(kWxNow - 1) + "}", a.secretary).error_code() == "request.bad_field");
    CHECK(patch(id, R"({"title":"别人的"})", a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(patch("a999", R"({"title":"没有"})", a.bureau).error_code() == "activity.not_found");
    CHECK(patch(id, "[]", a.secretary).status == 400);
    REQUIRE(a.post("/" + id + "/cancel", R"({"reason":"下雨"})", a.secretary).status == 200);
    auto const cancelled = a.f.roster_snapshot();
    auto late = a.f.call(verb::patch, "/api/v1/admin/activities/" + id, R"({"title":"再改"})", a.secretary);
    CHECK(late.status == 409);
    CHECK(late.error_code() == "activity.cancelled");
    CHECK(a.f.roster_snapshot() == cancelled);
}

TEST_CASE("a cancelled activity stays with its reason and nobody checks in to it", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    auto const before = a.f.roster_snapshot();
    CHECK(a.post("/" + id + "/cancel", "{}", a.secretary).error_code() == "request.bad_field");
    CHECK(a.post("/" + id + "/cancel", R"({"reason":"下雨"})", a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(a.post("/a999/cancel", R"({"reason":"下雨"})", a.bureau).error_code() == "activity.not_found");
    CHECK(a.f.roster_snapshot() == before);
    auto c = a.post("/" + id + "/cancel", R"({"reason":"下雨改期"})", a.secretary);
    REQUIRE(c.status == 200);
    CHECK(str(c.json["status"]) == "cancelled");
    CHECK(str(c.json["cancel_reason"]) == "下雨改期");
    CHECK(a.post("/" + id + "/cancel", R"({"reason":"再取消"})", a.secretary).status == 200);  // once is enough
    a.f.clock->set(kStart);
    auto checkin = a.proxy(id, "m2", a.secretary);
    CHECK(checkin.status == 409);
    CHECK(checkin.error_code() == "checkin.cancelled");
    CHECK(a.get("/" + id + "/code", a.secretary).error_code() == "activity.cancelled");
    CHECK(a.get("/" + id + "/scene", a.secretary).error_code() == "activity.cancelled");
    CHECK(a.f.call(verb::put, "/api/v1/admin/activities/" + id + "/record", R"({"summary":"没开"})", a.secretary)
              .error_code() == "activity.cancelled");
    auto seen = a.f.call(verb::get, "/api/v1/activities/" + id, {}, a.li);
    CHECK(str(seen.json["status"]) == "cancelled");
}

TEST_CASE("the record afterwards adds who attended, with their points", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    auto record = [&](std::string const& body, std::string const& token) {
        return a.f.call(verb::put, "/api/v1/admin/activities/" + id + "/record", body, token);
    };
    auto const before = a.f.roster_snapshot();
    auto early = record(R"({"summary":"学习党章","attended":["m2"]})", a.secretary);
    CHECK(early.status == 409);
    CHECK(early.error_code() == "activity.not_started");
    a.f.clock->set(kStart + 3 * kDay);  // long after: the window does not apply to a record
    CHECK(record(R"({"summary":""})", a.secretary).error_code() == "request.bad_field");
    CHECK(record(R"({"attended":["m2"]})", a.secretary).error_code() == "request.bad_field");
    CHECK(record(R"({"summary":"学习党章","attended":["m9"]})", a.secretary).error_code() == "request.bad_field");
    CHECK(record(R"({"summary":"学习党章","attended":["m404"]})", a.secretary).error_code() == "request.bad_field");
    CHECK(record(R"({"summary":"学习党章"})", a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::put, "/api/v1/admin/activities/a999/record", R"({"summary":"x"})", a.bureau).error_code() ==
          "activity.not_found");
    CHECK(a.f.roster_snapshot() == before);
    auto done = record(R"({"summary":"学习党章，交流心得","attended":["m2","m3"]})", a.secretary);
    REQUIRE(done.status == 200);
    CHECK(str(done.json["activity"]["summary"]) == "学习党章，交流心得");
    CHECK(str(done.json["activity"]["recorded_by"]) == "member:m1");
    CHECK(done.json["counts"]["proxied"].GetInt64() == 2);
    CHECK(done.json["counts"]["absent"].GetInt64() == 1);  // m1 himself
    for (auto const& m : done.json["members"].GetArray()) {
        if (str(m["number"]) == "m2") {
            CHECK(str(m["channel"]) == "record");
            CHECK(str(m["by"]) == "member:m1");
            CHECK(str(m["for"]) == "m2");
        }
    }
    auto points = a.f.call(verb::get, "/api/v1/me/points", {}, a.li);
    CHECK(points.json["total"].GetInt64() == 5);
    // Recording again keeps the records and the points as they are.
    REQUIRE(record(R"({"summary":"学习党章，交流心得。","attended":["m2"]})", a.secretary).status == 200);
    CHECK(a.f.call(verb::get, "/api/v1/me/points", {}, a.li).json["total"].GetInt64() == 5);
}

TEST_CASE("the code and the scanned code are for the activity's own admins", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    auto code = a.get("/" + id + "/code", a.secretary);
    REQUIRE(code.status == 200);
    CHECK(str(code.json["code"]).size() == 4);
    CHECK(code.json["valid_until"].GetInt64() == (kWxNow / 300 + 1) * 300);
    CHECK(str(code.json["title"]) == "主题党日");
    CHECK(a.get("/" + id + "/code", a.secretary_b2).error_code() == "auth.forbidden");
    auto scene = a.get("/" + id + "/scene", a.secretary);
    REQUIRE(scene.status == 200);
    CHECK(str(scene.json["page"]) == "pages/checkin/index");
    CHECK(str(scene.json["scene"]).starts_with(id + "."));
    CHECK(a.get("/" + id + "/scene", a.secretary_b2).error_code() == "auth.forbidden");
    auto png = a.get("/" + id + "/qrcode", a.secretary);
    REQUIRE(png.status == 200);
    CHECK(png.body.starts_with("\x89PNG"));
    CHECK(png.body.ends_with(str(scene.json["scene"])));  // the fake draws the scene it was asked for
    CHECK(a.get("/" + id + "/qrcode", a.secretary_b2).error_code() == "auth.forbidden");
    a.f.clock->set(kStart + 4 * 3600);
    CHECK(a.get("/" + id + "/code", a.secretary).error_code() == "checkin.closed");
    CHECK(a.get("/" + id + "/qrcode", a.secretary).error_code() == "checkin.closed");
}

TEST_CASE("without the mini-program API the scanned code is unavailable, said plainly", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    TestServerOptions options;
    options.add_routes = [&](server::Router& r) { handlers::add_routes(r, a.f.settings, a.f.clock, &server::system_random_bytes); };
    options.redis_libraries = handlers::redis_libraries();
    TestServer bare(std::move(options));
    REQUIRE(bare.wait_redis_ready());
    HttpClient client(bare.port());
    auto res = client.get("/api/v1/admin/activities/" + id + "/qrcode", {{"Authorization", "Bearer " + a.bureau}});
    CHECK(res.result_int() == 503);
    CHECK(res.body().find("checkin.qrcode_unavailable") != std::string::npos);
    CHECK(res.body().find("签到码") != std::string::npos);
}

TEST_CASE("a secretary checks in a member of their branch, recorded as acting for them", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    a.f.clock->set(kStart + 600);
    auto const before = a.f.roster_snapshot();
    CHECK(a.proxy(id, "m2", a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(a.proxy(id, "m9", a.secretary).error_code() == "auth.forbidden");
    CHECK(a.proxy(id, "m404", a.secretary).error_code() == "member.not_found");
    CHECK(a.proxy("a999", "m2", a.secretary).error_code() == "activity.not_found");
    CHECK(a.post("/" + id + "/checkins", R"({"number":"m2"})", a.secretary).error_code() == "request.bad_field");
    CHECK(a.f.roster_snapshot() == before);
    auto done = a.proxy(id, "m2", a.secretary);
    REQUIRE(done.status == 201);
    CHECK(str(done.json["channel"]) == "proxy");
    CHECK(done.json["points"].GetInt64() == 5);
    auto again = a.proxy(id, "m2", a.bureau);
    CHECK(again.status == 200);
    CHECK(again.json["already"].GetBool());
    auto const audit = shared_redis().command({"XREVRANGE", "bense:{roster}:audit", "+", "-", "COUNT", "1"});
    CHECK(audit.elements[0].elements[1].elements[3].str == "member:m1");         // actor
    CHECK(audit.elements[0].elements[1].elements[7].str == "activity.proxy");    // action
}

TEST_CASE("attendance per activity: present, proxied, on leave, absent", "[activity][admin]") {
    Admins a;
    auto const id = a.party_day();
    REQUIRE(a.f.call(verb::post, "/api/v1/activities/" + id + "/leave", R"({"reason":"住院"})", a.li).status == 201);
    a.f.clock->set(kStart);
    auto const code = str(a.get("/" + id + "/code", a.secretary).json["code"]);
    REQUIRE(a.f.call(verb::post, "/api/v1/checkins", R"({"code":")" + code + R"("})", a.secretary).status == 201);
    REQUIRE(a.proxy(id, "m3", a.secretary).status == 201);
    auto att = a.get("/" + id + "/attendance", a.secretary);
    REQUIRE(att.status == 200);
    auto const& c = att.json["counts"];
    CHECK(c["expected"].GetInt64() == 3);
    CHECK(c["present"].GetInt64() == 1);
    CHECK(c["proxied"].GetInt64() == 1);
    CHECK(c["leave"].GetInt64() == 1);
    CHECK(c["absent"].GetInt64() == 0);
    auto const& m = att.json["members"];
    REQUIRE(m.Size() == 3);
    CHECK(str(m[0]["state"]) == "present");
    CHECK(m[0]["at"].GetInt64() == kStart);
    CHECK(str(m[1]["state"]) == "leave");
    CHECK(str(m[1]["reason"]) == "住院");
    CHECK(str(m[2]["state"]) == "proxied");
    CHECK(a.get("/" + id + "/attendance", a.secretary_b2).error_code() == "auth.forbidden");
    CHECK(a.get("/a999/attendance", a.bureau).error_code() == "activity.not_found");
}

TEST_CASE("lists and month statistics by branch and across branches, no ranking of people", "[activity][admin]") {
    Admins a;
    auto const b1 = a.party_day();
    auto const city = a.create(R"({"title":"全市党课","branch":"*","start":)" + std::to_string(kStart + 3600) + "}", a.bureau);
    auto const b2 = a.create(start_json("主题党日", kStart), a.secretary_b2);
    auto const later = a.party_day(kStart + 60 * kDay);  // another month
    a.f.clock->set(kStart + 600);
    REQUIRE(a.proxy(b1, "m2", a.secretary).status == 201);
    REQUIRE(a.proxy(city, "m9", a.secretary_b2).status == 201);
    a.f.clock->set(kStart + 2 * kDay);
    auto const month = "?month=" + handlers::beijing_minute(kStart).substr(0, 7);

    auto mine = a.get(month, a.secretary);
    REQUIRE(mine.status == 200);
    REQUIRE(mine.json["activities"].Size() == 2);  // b1's and the city-wide one
    CHECK(str(mine.json["activities"][0]["id"]) == b1);
    CHECK(str(mine.json["activities"][1]["id"]) == city);
    CHECK(a.get(month + "&branch=b2", a.secretary).error_code() == "auth.forbidden");
    CHECK(a.get(month, a.bureau).json["activities"].Size() == 3);
    CHECK(a.get(month + "&branch=b2", a.bureau).json["activities"].Size() == 1);
    CHECK(a.get(month + "&branch=b99", a.bureau).error_code() == "branch.not_found");
    auto june = a.get("?month=" + handlers::beijing_minute(kStart + 60 * kDay).substr(0, 7), a.secretary);
    REQUIRE(june.json["activities"].Size() == 1);
    CHECK(str(june.json["activities"][0]["id"]) == later);
    CHECK(a.get("?month=24-04", a.secretary).error_code() == "request.bad_field");

    auto branch = a.f.call(verb::get, "/api/v1/admin/branches/b1/attendance" + month, {}, a.secretary);
    REQUIRE(branch.status == 200);
    CHECK(branch.json["members"].GetInt64() == 3);
    REQUIRE(branch.json["activities"].Size() == 2);
    CHECK(branch.json["activities"][0]["proxied"].GetInt64() == 1);
    CHECK(branch.json["activities"][0]["rate"].GetDouble() == Approx(0.333));
    CHECK(branch.json["totals"]["activities"].GetInt64() == 2);
    CHECK(branch.json["totals"]["expected"].GetInt64() == 6);
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b1/attendance" + month, {}, a.secretary_b2).error_code() ==
          "auth.forbidden");
    CHECK(a.f.call(verb::get, "/api/v1/admin/branches/b99/attendance", {}, a.bureau).error_code() == "branch.not_found");

    auto all = a.f.call(verb::get, "/api/v1/admin/attendance" + month, {}, a.bureau);
    REQUIRE(all.status == 200);
    REQUIRE(all.json["branches"].Size() == 2);
    CHECK(str(all.json["branches"][1]["branch"]) == "b2");
    CHECK(all.json["branches"][1]["present"].GetInt64() + all.json["branches"][1]["proxied"].GetInt64() == 1);
    CHECK(all.json["branches"][1]["rate"].GetDouble() == Approx(0.5));  // 1 of 1 at the city-wide, 0 of 1 at b2's
    CHECK(all.json["totals"]["activities"].GetInt64() == 3);
    CHECK(all.body.find("李秀英") == std::string::npos);  // branches only, never people
    CHECK(a.f.call(verb::get, "/api/v1/admin/attendance", {}, a.secretary).error_code() == "auth.forbidden");
    CHECK(a.f.call(verb::get, "/api/v1/admin/attendance?month=x", {}, a.bureau).error_code() == "request.bad_field");
}

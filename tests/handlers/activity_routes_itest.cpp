// The members' side of activities against real Redis, the in-process server and an injected
// clock: the upcoming list, check-in by the rotating code (grace, expiry, guessing), by a
// scanned code (forged, other branch, replayed), by a tap in the geofence and by a family
// proxy, the window's edges, one award per activity, leave and a member's own month.
#include "handlers/beijing_time.hpp"
#include "server/digest.hpp"
#include "support/activity_fixture.hpp"
#include "support/redis_server.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <set>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

// The members' side: besides the fixture's members, m3 张德明 of b1.
struct Party : ActivityFixture {
    std::string zhang = f.bound_session("o-zhang", "m3");

    // A new activity of `branch` (created at the clock's now by its secretary, or by the
    // bureau for "*"); `extra` adds JSON members.
    std::string create(std::string const& branch, std::int64_t start, std::string const& extra = {},
                       std::string title = "主题党日") {
        auto const& token = branch == "b2" ? secretary_b2 : branch == "b1" ? secretary : bureau;
        return ActivityFixture::create(start_json(title, start, R"(,"branch":")" + branch + "\"" + extra), token);
    }
    ApiAnswer checkin(std::string const& body, std::string const& token) {
        return f.call(verb::post, "/api/v1/checkins", body, token);
    }
    ApiAnswer by_code(std::string const& code, std::string const& token) {
        return checkin(R"({"code":")" + code + R"("})", token);
    }
    ApiAnswer by_scene(std::string const& scene, std::string const& token) {
        return checkin(R"({"scene":")" + scene + R"("})", token);
    }
    long long points(std::string const& token) {
        auto a = f.call(verb::get, "/api/v1/me/points", {}, token);
        REQUIRE(a.status == 200);
        return a.json["total"].GetInt64();
    }
    // The attendance row of a member, as the bureau sees it.
    rapidjson::Document row(std::string const& id, std::string const& number) {
        auto a = get("/" + id + "/attendance", bureau);
        REQUIRE(a.status == 200);
        rapidjson::Document out;
        for (auto const& m : a.json["members"].GetArray()) {
            if (str(m["number"]) == number) {
                out.CopyFrom(m, out.GetAllocator());
            }
        }
        REQUIRE(out.IsObject());
        return out;
    }
};

std::string message(ApiAnswer const& a) { return str(a.json["error"]["message"]); }

}  // namespace

TEST_CASE("a member lists what is coming up in their branch and city-wide", "[activity]") {
    Party p;
    auto const mine = p.create("b1", kStart, R"(,"place":"光明路社区活动室")");
    auto const city = p.create("*", kStart + kDay, {}, "银发本色讲堂");
    auto const other = p.create("b2", kStart);
    p.create("b1", kWxNow + 70 * kDay);  // beyond the 60 days ahead
    auto list = p.f.call(verb::get, "/api/v1/activities", {}, p.li);
    REQUIRE(list.status == 200);
    auto const& items = list.json["activities"];
    REQUIRE(items.Size() == 2);
    CHECK(str(items[0]["id"]) == mine);
    CHECK(str(items[0]["place"]) == "光明路社区活动室");
    CHECK(str(items[0]["mine"]).empty());
    CHECK(str(items[1]["id"]) == city);
    CHECK(str(items[1]["type"]) == "silver_lecture");
    CHECK(list.body.find("secret") == std::string::npos);
    CHECK(list.body.find("created_by") == std::string::npos);

    auto one = p.f.call(verb::get, "/api/v1/activities/" + mine, {}, p.li);
    REQUIRE(one.status == 200);
    CHECK(str(one.json["title"]) == "主题党日");
    CHECK(one.json["mine_at"].IsNull());
    CHECK(p.f.call(verb::get, "/api/v1/activities/" + other, {}, p.li).error_code() == "auth.forbidden");
    CHECK(p.f.call(verb::get, "/api/v1/activities/a999", {}, p.li).error_code() == "activity.not_found");
    CHECK(p.f.call(verb::get, "/api/v1/activities").status == 401);
    CHECK(p.f.call(verb::get, "/api/v1/activities", {}, p.f.login("o-new")).error_code() == "member.not_bound");

    // Once checked in, the list and the activity say so; once closed, it leaves the list.
    p.f.clock->set(kStart);
    REQUIRE(p.by_code(p.code(mine), p.li).status == 201);
    one = p.f.call(verb::get, "/api/v1/activities/" + mine, {}, p.li);
    CHECK(str(one.json["mine"]) == "present");
    CHECK(one.json["mine_at"].GetInt64() == kStart);
    p.f.clock->set(kStart + 4 * 3600 + 1);  // closes an hour after the default end
    list = p.f.call(verb::get, "/api/v1/activities", {}, p.li);
    REQUIRE(list.json["activities"].Size() == 1);
    CHECK(str(list.json["activities"][0]["id"]) == city);
}

TEST_CASE("a check-in by code counts once and awards its points once", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart);
    p.f.clock->set(kStart - 600);
    auto const code = p.code(id);
    auto first = p.by_code(code, p.li);
    REQUIRE(first.status == 201);
    CHECK(str(first.json["activity"]) == id);
    CHECK(str(first.json["channel"]) == "code");
    CHECK_FALSE(first.json["already"].GetBool());
    CHECK(first.json["points"].GetInt64() == 5);
    CHECK(str(first.json["points_status"]).empty());
    CHECK(p.points(p.li) == 5);
    // Later, in full-width digits: "already", at the first time, nothing added.
    p.f.clock->set(kStart - 590);
    std::string wide;
    for (char c : code) {
        wide += "\xEF\xBC";
        wide += static_cast<char>(0x90 + (c - '0'));
    }
    auto again = p.by_code(wide, p.li);
    REQUIRE(again.status == 200);
    CHECK(again.json["already"].GetBool());
    CHECK(again.json["at"].GetInt64() == kStart - 600);
    CHECK(p.points(p.li) == 5);
    auto row = p.row(id, "m2");
    CHECK(str(row["state"]) == "present");
    CHECK(str(row["by"]) == "member:m2");
    CHECK(str(row["for"]).empty());
    // Bad bodies are the client's mistake, said in one sentence.
    CHECK(p.by_code("12", p.zhang).error_code() == "request.bad_field");
    CHECK(p.checkin(R"({"code":"1234","scene":"x"})", p.zhang).error_code() == "request.bad_field");
    CHECK(p.checkin("[1]", p.zhang).status == 400);
    CHECK(p.checkin("{}", p.zhang).error_code() == "request.bad_field");
}

TEST_CASE("the code rotates: the last one is taken within the grace, then refused", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart);
    std::int64_t const step = (kStart / 300 + 1) * 300;  // a step change inside the window
    std::set<std::string> recent;
    for (std::int64_t t = step - 7 * 300; t <= step + 300; t += 300) {
        p.f.clock->set(t + 5);
        recent.insert(p.code(id));
    }
    p.f.clock->set(step + 10);
    auto const before = p.code(id);
    p.f.clock->set(step + 300 + 30);
    auto const now = p.code(id);
    auto const late = p.by_code(before, p.li);  // typed 30 s after the change
    CHECK(late.status == 201);
    p.f.clock->set(step + 300 + 61);
    if (before != now) {
        auto expired = p.by_code(before, p.zhang);
        CHECK(expired.status == 400);
        CHECK(expired.error_code() == "checkin.code_expired");
    }
    // A code that was never this activity's.
    std::string wrong;
    for (int i = 0; wrong.empty() || recent.contains(wrong); ++i) {
        wrong = fmt::format("{:04}", (1234 + 37 * i) % 10000);
    }
    auto bad = p.by_code(wrong, p.zhang);
    CHECK(bad.error_code() == "checkin.code_wrong");
    CHECK(message(bad).find("4位数字") != std::string::npos);
    CHECK(p.by_code(now, p.zhang).status == 201);
    // Ten wrong codes an hour; the eleventh try is refused even when right.
    for (int i = 0; i < 10; ++i) {
        CHECK(p.by_code(wrong, p.secretary).error_code() == "checkin.code_wrong");
    }
    auto blocked = p.by_code(now, p.secretary);
    CHECK(blocked.status == 429);
    CHECK(blocked.error_code() == "checkin.too_many");
    // Nothing open at all: a code then is said to be early or late.
    p.f.clock->set(kStart + 10 * kDay);
    CHECK(p.by_code(now, p.secretary_b2).error_code() == "checkin.nothing_open");
}

TEST_CASE("check-in opens and closes on the second", "[activity]") {
    Party p;
    auto const opens = kStart - 1800;
    auto const closes = kStart + 2 * 3600 + 1800;
    auto const id = p.create("b1", kStart, ",\"opens\":" + std::to_string(opens) + ",\"closes\":" + std::to_string(closes));
    auto const scene = p.scene(id);
    p.f.clock->set(opens - 1);
    auto early = p.by_scene(scene, p.li);
    CHECK(early.status == 409);
    CHECK(early.error_code() == "checkin.not_open");
    CHECK(message(early).find(handlers::beijing_clock(opens)) != std::string::npos);
    p.f.clock->set(opens);
    CHECK(p.by_scene(scene, p.li).status == 201);
    p.f.clock->set(closes);
    CHECK(p.by_scene(scene, p.zhang).status == 201);
    p.f.clock->set(closes + 1);
    auto late = p.by_scene(scene, p.secretary);
    CHECK(late.error_code() == "checkin.closed");
    CHECK(message(late).find("补签") != std::string::npos);
}

TEST_CASE("a scanned code: forged, of another branch, replayed", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart);
    auto const theirs = p.create("b2", kStart);
    auto const scene = p.scene(id);
    CHECK(scene.size() <= 32);
    p.f.clock->set(kStart);
    auto forged = scene;
    forged.back() = forged.back() == '0' ? '1' : '0';
    auto const snapshot = p.f.roster_snapshot();
    CHECK(p.by_scene(forged, p.li).error_code() == "checkin.scene_invalid");
    CHECK(p.by_scene(theirs + ".0123456789abcdef", p.li).error_code() == "checkin.scene_invalid");
    auto other = p.by_scene(p.scene(theirs), p.li);  // genuine, but b2's
    CHECK(other.status == 403);
    CHECK(other.error_code() == "checkin.other_branch");
    CHECK(p.f.roster_snapshot() == snapshot);
    auto first = p.by_scene(scene, p.li);
    REQUIRE(first.status == 201);
    CHECK(str(first.json["channel"]) == "scene");
    CHECK(p.by_scene(scene, p.li).status == 200);  // the same member again: already
    // A photo of the code that travels after the activity is worth nothing.
    p.f.clock->set(kStart + 2 * 3600 + 3600 + 1);
    CHECK(p.by_scene(scene, p.zhang).error_code() == "checkin.closed");
    CHECK(p.by_scene(scene, p.li).status == 200);  // still "already" for the one who came
}

TEST_CASE("a tap inside the geofence checks in, outside it says how far", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart, R"(,"lat":34.8,"lng":117.5,"radius":200)");
    auto const plain = p.create("b1", kStart + 1800);  // open too, without a geofence
    p.f.clock->set(kStart);
    auto geo = [&](std::string const& activity, double lat, std::string const& token) {
        return p.checkin(R"({"activity":")" + activity + R"(","lat":)" + fmt::format("{}", lat) + R"(,"lng":117.5})",
                         token);
    };
    auto inside = geo(id, 34.8005, p.li);  // about 56 m
    REQUIRE(inside.status == 201);
    CHECK(str(inside.json["channel"]) == "geo");
    auto far = geo(id, 34.81, p.zhang);  // about 1.1 km
    CHECK(far.status == 409);
    CHECK(far.error_code() == "checkin.too_far");
    CHECK(message(far).find("1112") != std::string::npos);
    CHECK(geo(plain, 34.8, p.zhang).error_code() == "checkin.no_geofence");
    CHECK(geo("a999", 34.8, p.zhang).error_code() == "activity.not_found");
    CHECK(p.checkin(R"({"activity":")" + id + R"("})", p.zhang).error_code() == "request.bad_field");
}

TEST_CASE("a check-in refuses its caller as every member route does, and records nothing", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart, R"(,"lat":34.8,"lng":117.5,"radius":200)");
    p.f.clock->set(kStart);
    auto const tap = R"({"activity":")" + id + R"(","lat":34.8,"lng":117.5})";
    auto const unbound = p.f.login("o-new");
    auto const before = p.f.roster_snapshot();
    CHECK(p.checkin(tap, "").error_code() == "auth.unauthorized");
    CHECK(p.checkin(tap, "no-such-session").error_code() == "auth.unauthorized");
    CHECK(p.checkin(tap, unbound).error_code() == "member.not_bound");
    CHECK(p.checkin(tap, p.bureau).status == 403);  // a bureau token is nobody's account
    // The caller is answered for before the body: 401 for nobody, 403 unbound, 400 for a member.
    CHECK(p.checkin("{", "no-such-session").error_code() == "auth.unauthorized");
    CHECK(p.checkin(R"({"activity":")" + id + R"("})", "no-such-session").error_code() == "auth.unauthorized");
    CHECK(p.checkin("{", unbound).error_code() == "member.not_bound");
    CHECK(p.by_scene("forged", "no-such-session").error_code() == "auth.unauthorized");
    CHECK(p.by_scene("forged", unbound).error_code() == "member.not_bound");
    CHECK(p.checkin("{", p.li).error_code() == "request.bad_json");
    // A body's bytes are checked before it is parsed: not UTF-8, or a NUL (where a parse of the
    // NUL-terminated body would have stopped and found a whole object).
    CHECK(p.checkin("{\"code\":\"12\xff\"}", p.li).error_code() == "request.bad_json");
    CHECK(p.checkin(std::string("{\"code\":\"1234\"}\0x", 17), p.li).error_code() == "request.bad_json");
    CHECK(p.checkin(R"({"activity":")" + id + R"(","lat":"北"})", p.li).error_code() == "request.bad_field");
    CHECK(p.f.roster_snapshot() == before);
    // A member whose record is gone is bound to nobody, though the identity still names them.
    shared_redis().command({"DEL", "bense:{roster}:member:m3"});
    CHECK(p.checkin(tap, p.zhang).error_code() == "member.not_bound");
}

TEST_CASE("a member's check-in slides their session as any request does", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart, R"(,"lat":34.8,"lng":117.5,"radius":200)");
    p.f.clock->set(kStart);
    auto const key = "bense:{roster}:session:" + server::sha256_hex(p.li);
    shared_redis().command({"HSET", key, "slid_at", "0"});
    shared_redis().command({"PEXPIRE", key, "60000"});
    REQUIRE(p.checkin(R"({"activity":")" + id + R"(","lat":34.8,"lng":117.5})", p.li).status == 201);
    CHECK(shared_redis().command({"HGET", key, "slid_at"}).str == std::to_string(kStart));
    CHECK(shared_redis().command({"PTTL", key}).integer > 86400 * 1000);
}

TEST_CASE("a check-in acts for whom the session's identity is bound to now", "[activity]") {
    // A session carries a copy of its identity's binding (one read less a tap); binding,
    // unbinding and binding again must each reach the sessions already open.
    Party p;
    auto const first = p.create("*", kStart, R"(,"lat":34.8,"lng":117.5,"radius":200)");
    auto const second = p.create("*", kStart + 60, R"(,"lat":34.8,"lng":117.5,"radius":200)");
    auto const third = p.create("*", kStart + 120, R"(,"lat":34.8,"lng":117.5,"radius":200)");
    p.f.clock->set(kStart + 120);
    auto tap = [&](std::string const& id, std::string const& token) {
        return p.checkin(R"({"activity":")" + id + R"(","lat":34.8,"lng":117.5})", token);
    };
    auto unbind = [&](std::string const& number) {
        REQUIRE(p.f.call(verb::delete_, "/api/v1/admin/members/" + number + "/bindings", {}, p.bureau).status == 200);
    };
    auto bind = [&](std::string const& number, std::string const& token) {
        auto const body = R"({"code":")" + p.f.code_for(number) + R"("})";
        REQUIRE(p.f.call(verb::post, "/api/v1/binding", body, token).status == 200);
    };
    auto const token = p.f.login("o-later");
    auto const key = "bense:{roster}:session:" + server::sha256_hex(token);
    CHECK(tap(first, token).error_code() == "member.not_bound");
    // m3's own session, open, is unbound with the member.
    unbind("m3");
    CHECK(tap(first, p.zhang).error_code() == "member.not_bound");
    // Bound after the login: the open session acts for the member at once.
    bind("m3", token);
    CHECK(shared_redis().command({"HGET", key, "member"}).str == "m3");
    REQUIRE(tap(first, token).status == 201);
    CHECK(str(p.row(first, "m3")["by"]) == "member:m3");
    // Unbound by the bureau: the same session acts for nobody, and records nothing.
    unbind("m3");
    CHECK(shared_redis().command({"HEXISTS", key, "member"}).integer == 0);
    CHECK(tap(second, token).error_code() == "member.not_bound");
    CHECK(str(p.row(second, "m3")["state"]) == "absent");
    // Bound again, to another member: the session follows.
    unbind("m9");
    bind("m9", token);
    REQUIRE(tap(second, token).status == 201);
    CHECK(str(p.row(second, "m9")["by"]) == "member:m9");
    // A session opened before sessions carried the copy still finds its member.
    shared_redis().command({"HDEL", "bense:{roster}:session:" + server::sha256_hex(p.li), "member", "proxy"});
    REQUIRE(tap(third, p.li).status == 201);
    CHECK(str(p.row(third, "m2")["by"]) == "member:m2");
    // Logging out leaves the identity's list of sessions; an expired one leaves it at the next
    // change of the binding.
    auto const sessions = "bense:{roster}:ident:mp:o-later:sessions";
    auto const other = p.f.login("o-later");
    CHECK(shared_redis().command({"SCARD", sessions}).integer == 2);
    REQUIRE(p.f.call(verb::delete_, "/api/v1/session", {}, token).status == 200);
    CHECK(shared_redis().command({"SISMEMBER", sessions, server::sha256_hex(token)}).integer == 0);
    shared_redis().command({"DEL", "bense:{roster}:session:" + server::sha256_hex(other)});
    unbind("m9");
    CHECK(shared_redis().command({"EXISTS", sessions}).integer == 0);
}

TEST_CASE("a family member checks in and asks for leave for the member, recorded as such", "[activity]") {
    Party p;
    auto code = p.f.call(verb::post, "/api/v1/me/binding-codes", R"({"kind":"proxy"})", p.zhang);
    REQUIRE(code.status == 200);
    auto const family = p.f.login("o-zhang-son");
    REQUIRE(p.f.call(verb::post, "/api/v1/binding", R"({"code":")" + str(code.json["code"]) + R"("})", family).status ==
            200);
    auto const id = p.create("b1", kStart);
    auto const next = p.create("b1", kStart + 7 * kDay);
    CHECK(p.f.call(verb::post, "/api/v1/activities/" + next + "/leave", R"({"reason":"住院"})", family).status == 201);
    p.f.clock->set(kStart);
    REQUIRE(p.by_scene(p.scene(id), family).status == 201);
    auto row = p.row(id, "m3");
    CHECK(str(row["state"]) == "proxied");
    CHECK(str(row["by"]) == "wx:mp:o-zhang-son");
    CHECK(str(row["for"]) == "m3");
    auto leave = p.row(next, "m3");
    CHECK(str(leave["state"]) == "leave");
    CHECK(str(leave["by"]) == "wx:mp:o-zhang-son");
    CHECK(str(leave["reason"]) == "住院");
    CHECK(p.points(p.zhang) == 5);  // the member's points, whoever tapped
}

TEST_CASE("leave before the start, not after it nor after checking in", "[activity]") {
    Party p;
    auto const id = p.create("b1", kStart);
    auto const theirs = p.create("b2", kStart);
    auto leave = [&](std::string const& activity, std::string const& body, std::string const& token) {
        return p.f.call(verb::post, "/api/v1/activities/" + activity + "/leave", body, token);
    };
    auto first = leave(id, R"({"reason":"去医院复查"})", p.li);
    REQUIRE(first.status == 201);
    CHECK(str(first.json["activity"]) == id);
    CHECK_FALSE(first.json["updated"].GetBool());
    auto second = leave(id, R"({"reason":"去医院复查，下午回来"})", p.li);
    CHECK(second.status == 200);
    CHECK(second.json["updated"].GetBool());
    CHECK(str(p.row(id, "m2")["reason"]) == "去医院复查，下午回来");
    auto const snapshot = p.f.roster_snapshot();
    CHECK(leave(id, "{}", p.zhang).error_code() == "request.bad_field");
    CHECK(leave(id, R"({"reason":""})", p.zhang).error_code() == "request.bad_field");
    CHECK(leave(theirs, R"({"reason":"有事"})", p.zhang).error_code() == "checkin.other_branch");
    CHECK(leave("a999", R"({"reason":"有事"})", p.zhang).error_code() == "activity.not_found");
    p.f.clock->set(kStart - 60);
    REQUIRE(p.by_code(p.code(id), p.zhang).status == 201);
    auto const checked = p.f.roster_snapshot();
    auto done = leave(id, R"({"reason":"有事"})", p.zhang);
    CHECK(done.status == 409);
    CHECK(done.error_code() == "leave.checked_in");
    p.f.clock->set(kStart);
    auto too_late = leave(id, R"({"reason":"有事"})", p.secretary);
    CHECK(too_late.error_code() == "leave.too_late");
    CHECK(message(too_late).find("告诉书记") != std::string::npos);
    CHECK(p.f.roster_snapshot() == checked);
}

TEST_CASE("a member's month: present, on leave, absent and still to come", "[activity]") {
    Party p;
    auto const came = p.create("b1", kStart);
    auto const away = p.create("b1", kStart + kDay);
    auto const missed = p.create("*", kStart + 2 * kDay, {}, "全市党课");
    auto const later = p.create("b1", kStart + 3 * kDay);
    p.create("b2", kStart);  // another branch's: not in m2's month
    REQUIRE(p.f.call(verb::post, "/api/v1/activities/" + away + "/leave", R"({"reason":"出门"})", p.li).status == 201);
    p.f.clock->set(kStart);
    REQUIRE(p.by_code(p.code(came), p.li).status == 201);
    p.f.clock->set(kStart + 2 * kDay + 5 * 3600);  // the city-wide one has closed
    auto const month = handlers::beijing_minute(kStart).substr(0, 7);
    auto a = p.f.call(verb::get, "/api/v1/me/attendance", {}, p.li);
    REQUIRE(a.status == 200);
    CHECK(str(a.json["month"]) == month);
    auto const& list = a.json["activities"];
    REQUIRE(list.Size() == 4);
    CHECK(str(list[0]["id"]) == came);
    CHECK(str(list[0]["state"]) == "present");
    CHECK(str(list[1]["id"]) == away);
    CHECK(str(list[1]["state"]) == "leave");
    CHECK(str(list[2]["id"]) == missed);
    CHECK(str(list[2]["state"]) == "absent");
    CHECK(str(list[3]["id"]) == later);
    CHECK(str(list[3]["state"]) == "upcoming");
    CHECK(a.json["counts"]["present"].GetInt64() == 1);
    auto empty = p.f.call(verb::get, "/api/v1/me/attendance?month=2030-01", {}, p.li);
    CHECK(empty.json["activities"].Size() == 0);
    CHECK(p.f.call(verb::get, "/api/v1/me/attendance?month=2024-13", {}, p.li).error_code() == "request.bad_field");
}

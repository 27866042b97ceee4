// The member's own API against real Redis and the fake WeChat: login, binding by code and by
// phone, proxies, the limits on guessing, sessions that slide, and every refusal changing nothing.
#include "handlers/session_routes.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

std::string session_key_of(std::string const& token) {
    return "bense:{roster}:session:" + server::sha256_hex(token);
}

}  // namespace

TEST_CASE("a new user logs in unbound, GET /me then asks to bind first", "[roster][session]") {
    RosterFixture f;
    f.import_demo();
    auto a = f.call(verb::post, "/api/v1/session", R"({"code":")" + f.login_code("o-new") + R"("})");
    REQUIRE(a.status == 200);
    CHECK(a.json["bound"].GetBool() == false);
    CHECK(a.json["member"].IsNull());
    CHECK(a.json["expires_in"].GetInt64() == 30 * 86400);
    std::string const token = a.json["token"].GetString();
    CHECK(token.size() == 43);
    CHECK(a.body.find("session_key") == std::string::npos);  // WeChat's session_key stays on the server
    // Only the token's hash is kept.
    CHECK(shared_redis().command({"EXISTS", session_key_of(token)}).integer == 1);
    CHECK(shared_redis().command({"KEYS", "*" + token + "*"}).elements.empty());

    auto me = f.call(verb::get, "/api/v1/me", {}, token);
    CHECK(me.status == 403);
    CHECK(me.error_code() == "member.not_bound");
    CHECK(std::string(me.json["error"]["message"].GetString()).find("请先绑定") != std::string::npos);
}

TEST_CASE("a bound member logs in and is told who they are", "[roster][session]") {
    RosterFixture f;
    f.import_demo();
    f.bound_session("o-li", "m2");
    auto a = f.call(verb::post, "/api/v1/session", R"({"code":")" + f.login_code("o-li") + R"("})");
    REQUIRE(a.status == 200);
    CHECK(a.json["bound"].GetBool());
    CHECK(std::string(a.json["member"]["name"].GetString()) == "李秀英");
    CHECK(std::string(a.json["member"]["branch"]["id"].GetString()) == "b1");
    CHECK(std::string(a.json["member"]["acting_as"].GetString()) == "self");
    auto me = f.call(verb::get, "/api/v1/me", {}, a.json["token"].GetString());
    CHECK(me.status == 200);
    CHECK(std::string(me.json["member"]["number"].GetString()) == "m2");
}

TEST_CASE("used and invalid wx.login codes get a clear 401 and 400", "[roster][session]") {
    RosterFixture f;
    auto const code = f.login_code("o-x");
    REQUIRE(f.call(verb::post, "/api/v1/session", R"({"code":")" + code + R"("})").status == 200);
    auto used = f.call(verb::post, "/api/v1/session", R"({"code":")" + code + R"("})");
    CHECK(used.status == 401);
    CHECK(used.error_code() == "login.code_used");
    auto invalid = f.call(verb::post, "/api/v1/session", R"({"code":"never-issued"})");
    CHECK(invalid.status == 400);
    CHECK(invalid.error_code() == "login.code_invalid");
    CHECK(f.call(verb::post, "/api/v1/session", R"({"code":""})").error_code() == "request.bad_field");
    CHECK(f.call(verb::post, "/api/v1/session", R"({"nocode":1})").error_code() == "request.bad_field");
    CHECK(f.call(verb::post, "/api/v1/session", "not json").error_code() == "request.bad_json");
}

TEST_CASE("missing, malformed and unknown tokens are 401", "[roster][session]") {
    RosterFixture f;
    CHECK(f.call(verb::get, "/api/v1/me").status == 401);
    CHECK(f.call(verb::get, "/api/v1/me", {}, "no-such-token").error_code() == "auth.unauthorized");
    CHECK(f.call(verb::get, "/api/v1/me", {}, "bt_forged").status == 401);
}

TEST_CASE("binding by code: once, in any writing of the digits, audited", "[roster][binding]") {
    RosterFixture f;
    f.import_demo();
    auto const token = f.login("o-zhang");
    auto const code = f.code_for("m3");
    auto const before = f.audit_length();
    // Full-width digits with a space: as an old member may type them.
    std::string wide;
    for (char c : code.substr(0, 3)) {
        wide += "\xEF\xBC" + std::string(1, static_cast<char>(0x90 + (c - '0')));
    }
    auto a = f.call(verb::post, "/api/v1/binding", R"({"code":")" + wide + " " + code.substr(3) + R"("})", token);
    REQUIRE(a.status == 200);
    CHECK(std::string(a.json["member"]["name"].GetString()) == "张德明");
    CHECK(f.audit_length() == before + 1);
    auto entry = shared_redis().command({"XREVRANGE", "bense:{roster}:audit", "+", "-", "COUNT", "1"});
    auto const fields = entry.elements[0].elements[1];
    CHECK(fields.elements[7].str == "bind.self");  // at actor for action ...
    CHECK(fields.elements[3].str == "wx:mp:o-zhang");

    // The code is spent; the user is bound.
    auto again = f.call(verb::post, "/api/v1/binding", R"({"code":")" + code + R"("})", f.login("o-other"));
    CHECK(again.status == 400);
    CHECK(again.error_code() == "bind.code_used");
    auto twice = f.call(verb::post, "/api/v1/binding", R"({"code":")" + f.code_for("m2") + R"("})", token);
    CHECK(twice.status == 409);
    CHECK(twice.error_code() == "bind.already");
    CHECK(std::string(twice.json["error"]["message"].GetString()).find("张德明") != std::string::npos);
}

TEST_CASE("wrong, expired and malformed codes explain themselves and change nothing", "[roster][binding]") {
    RosterFixture f;
    f.import_demo();
    auto const token = f.login("o-a");
    auto const code = f.code_for("m3");
    auto const snapshot = f.roster_snapshot();
    auto wrong = f.call(verb::post, "/api/v1/binding", R"({"code":"000000"})", token);
    CHECK(wrong.status == 400);
    CHECK(wrong.error_code() == "bind.code_wrong");
    CHECK(f.call(verb::post, "/api/v1/binding", R"({"code":"12345"})", token).error_code() == "request.bad_field");
    CHECK(f.call(verb::post, "/api/v1/binding", R"({"code":"abcdef"})", token).error_code() == "request.bad_field");
    CHECK(f.call(verb::post, "/api/v1/binding", R"({})", token).error_code() == "request.bad_field");
    f.clock->set(kWxNow + 31 * 86400);  // past the 30 days
    auto expired = f.call(verb::post, "/api/v1/binding", R"({"code":")" + code + R"("})", token);
    CHECK(expired.status == 400);
    CHECK(expired.error_code() == "bind.code_expired");
    CHECK(f.roster_snapshot() == snapshot);
}

TEST_CASE("guessing codes is stopped per user and per code", "[roster][binding]") {
    RosterFixture f;
    f.import_demo();
    auto const token = f.login("o-guess");
    auto const real = f.code_for("m3");
    for (int i = 0; i < 5; ++i) {
        auto wrong = std::to_string(100000 + i);
        REQUIRE(f.call(verb::post, "/api/v1/binding", R"({"code":")" + wrong + R"("})", token).status == 400);
    }
    // Even the right code is refused now: the limit is on the user, not on wrong answers.
    auto blocked = f.call(verb::post, "/api/v1/binding", R"({"code":")" + real + R"("})", token);
    CHECK(blocked.status == 429);
    CHECK(blocked.error_code() == "bind.too_many");
    auto ttl = shared_redis().command({"PTTL", "bense:{roster}:fail:ident:mp:o-guess"}).integer;
    CHECK(ttl > 0);
    CHECK(ttl <= 3600 * 1000);

    // Many users trying one code value: after 10 tries it is closed to everyone for the hour.
    for (int i = 0; i < 10; ++i) {
        f.call(verb::post, "/api/v1/binding", R"({"code":"222222"})", f.login("o-many-" + std::to_string(i)));
    }
    auto closed = f.call(verb::post, "/api/v1/binding", R"({"code":"222222"})", f.login("o-late"));
    CHECK(closed.error_code() == "bind.too_many");
    // The real code still works for a user who has not been guessing.
    CHECK(f.call(verb::post, "/api/v1/binding", R"({"code":")" + real + R"("})", f.login("o-honest")).status == 200);
}

TEST_CASE("binding by the phone button matches the roster's keyed hash", "[roster][binding]") {
    RosterFixture f;
    f.import_demo();
    // The phone is never kept in clear.
    CHECK(shared_redis().command({"KEYS", "*13800000002*"}).elements.empty());
    auto phone_code = [&](std::string const& phone) {
        auto r = f.fake.state().handle(http::verb::post, "/_fake/phone_code", R"({"phone":")" + phone + R"("})");
        rapidjson::Document d;
        d.Parse(r.body.c_str());
        return std::string(d["code"].GetString());
    };
    auto const token = f.login("o-li");
    auto unknown = f.call(verb::post, "/api/v1/binding", R"({"phone_code":")" + phone_code("13900000000") + R"("})", token);
    CHECK(unknown.status == 404);
    CHECK(unknown.error_code() == "bind.phone_unknown");
    auto bad = f.call(verb::post, "/api/v1/binding", R"({"phone_code":"not-issued"})", token);
    CHECK(bad.status == 400);
    CHECK(bad.error_code() == "bind.phone_code_invalid");
    auto ok = f.call(verb::post, "/api/v1/binding", R"({"phone_code":")" + phone_code("13800000002") + R"("})", token);
    REQUIRE(ok.status == 200);
    CHECK(std::string(ok.json["member"]["number"].GetString()) == "m2");
    // The same member from a second phone: taken until the secretary unbinds.
    auto taken = f.call(verb::post, "/api/v1/binding", R"({"phone_code":")" + phone_code("13800000002") + R"("})",
                        f.login("o-li-2"));
    CHECK(taken.status == 409);
    CHECK(taken.error_code() == "bind.taken");
}

TEST_CASE("a family member binds as proxy and acts for the member", "[roster][binding]") {
    RosterFixture f;
    f.import_demo();
    auto const member = f.bound_session("o-zhang", "m3");
    auto code = f.call(verb::post, "/api/v1/me/binding-codes", R"({"kind":"proxy"})", member);
    REQUIRE(code.status == 200);
    auto const family = f.login("o-zhang-son");
    auto bound = f.call(verb::post, "/api/v1/binding", R"({"code":")" + std::string(code.json["code"].GetString()) + R"("})",
                        family);
    REQUIRE(bound.status == 200);
    CHECK(std::string(bound.json["member"]["acting_as"].GetString()) == "proxy");
    auto me = f.call(verb::get, "/api/v1/me", {}, family);
    CHECK(std::string(me.json["member"]["name"].GetString()) == "张德明");
    CHECK(std::string(me.json["member"]["acting_as"].GetString()) == "proxy");
    // Recorded as acting-for, and a proxy cannot hand the trust on.
    auto entry = shared_redis().command({"XREVRANGE", "bense:{roster}:audit", "+", "-", "COUNT", "1"});
    CHECK(entry.elements[0].elements[1].elements[5].str == "m3");  // "for"
    CHECK(f.call(verb::post, "/api/v1/me/binding-codes", R"({"kind":"proxy"})", family).status == 403);
    CHECK(f.call(verb::post, "/api/v1/me/binding-codes", R"({"kind":"x"})", member).error_code() == "request.bad_field");
    // The member still binds in person from the official account with a self code.
    auto self = f.call(verb::post, "/api/v1/me/binding-codes", R"({"kind":"self"})", member);
    CHECK(self.status == 200);
}

TEST_CASE("a unionid links a new mini-program login to the person bound before", "[roster][session]") {
    RosterFixture f;
    f.import_demo();
    auto const first = f.login("o-wang-1", "u-wang");
    REQUIRE(f.call(verb::post, "/api/v1/binding", R"({"code":")" + f.code_for("m1") + R"("})", first).status == 200);
    // Logging in again with the same unionid finds the binding.
    auto again = f.call(verb::post, "/api/v1/session", R"({"code":")" + f.login_code("o-wang-1", "u-wang") + R"("})");
    CHECK(again.json["bound"].GetBool());
    CHECK(shared_redis().command({"HGET", "bense:{roster}:ident:union:u-wang", "member"}).str == "m1");
}

TEST_CASE("sessions slide for 30 days and end at logout", "[roster][session]") {
    RosterFixture f;
    auto const token = f.login("o-s");
    auto const key = session_key_of(token);
    // Within the hour of its last slide a session is only read: no write per request.
    shared_redis().command({"PEXPIRE", key, "5000"});
    f.clock->set(f.clock->now_seconds() + 3599);
    CHECK(f.call(verb::get, "/api/v1/me", {}, token).status == 403);  // known, not bound
    CHECK(shared_redis().command({"PTTL", key}).integer <= 5000);
    // An hour on, it slides to 30 days again, and the next hour counts from then.
    f.clock->set(f.clock->now_seconds() + 1);
    CHECK(f.call(verb::get, "/api/v1/me", {}, token).status == 403);
    CHECK(shared_redis().command({"PTTL", key}).integer > 29LL * 86400 * 1000);
    shared_redis().command({"PEXPIRE", key, "5000"});
    f.clock->set(f.clock->now_seconds() + 3599);
    CHECK(f.call(verb::get, "/api/v1/me", {}, token).status == 403);
    CHECK(shared_redis().command({"PTTL", key}).integer <= 5000);
    // A session opened before slid_at was kept slides at its first use.
    shared_redis().command({"HDEL", key, "slid_at"});
    CHECK(f.call(verb::get, "/api/v1/me", {}, token).status == 403);
    CHECK(shared_redis().command({"PTTL", key}).integer > 29LL * 86400 * 1000);
    auto out = f.call(verb::delete_, "/api/v1/session", {}, token);
    CHECK(out.status == 200);
    CHECK(f.call(verb::get, "/api/v1/me", {}, token).status == 401);
    CHECK(f.call(verb::delete_, "/api/v1/session", {}, token).status == 401);
}

// Who a request is, against real Redis and the in-process server: a bureau token until it is
// revoked, a forged one never, a session token only as the member it belongs to.
#include "handlers/roster_store.hpp"
#include "server/digest.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::test;
using http::verb;

TEST_CASE("a bureau token acts for the bureau until it is revoked", "[roster][auth]") {
    RosterFixture f;
    f.import_demo();
    auto const token = f.bureau_token("clerk");
    auto all = f.call(verb::get, "/api/v1/admin/branches", {}, token);
    REQUIRE(all.status == 200);
    auto revoked = shared_redis().command({"FCALL", "bense_roster_token_revoke", "1",
                                           std::string(handlers::kRosterAuditKey), "cli", "cli", "0", "clerk"});
    REQUIRE(revoked.type == server::RedisReply::Type::array);
    auto after = f.call(verb::get, "/api/v1/admin/branches", {}, token);
    CHECK(after.status == 401);
    CHECK(after.error_code() == "auth.unauthorized");
    // A token that only looks like the bureau's, and one whose hash names another kind of key.
    CHECK(f.call(verb::get, "/api/v1/admin/branches", {}, "bt_forged").status == 401);
    shared_redis().command({"SET", std::string(handlers::kBureauTokenKeyPrefix) + server::sha256_hex("bt_odd"), "x"});
    auto odd = f.call(verb::get, "/api/v1/admin/branches", {}, "bt_odd");
    CHECK(odd.status >= 500);  // Redis refuses HMGET of a string: the store's failure, not a pass
    CHECK(odd.error_code() != "");
}

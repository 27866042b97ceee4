// `bense points export ledger|assessment` against real Redis: the same CSV the admin API
// gives, and a clear refusal (exit 1) for an unknown member or a malformed half-year.
#include "handlers/points_cli_commands.hpp"
#include "support/redis_server.hpp"
#include "support/roster_fixture.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace bense;
using namespace bense::test;
using http::verb;

namespace {

handlers::RosterCliContext cli_context(RosterFixture const& f) {
    handlers::RosterCliContext ctx;
    ctx.redis.address = shared_redis().address();
    ctx.deps.config = f.settings.roster;
    ctx.deps.points = f.settings.points;
    ctx.deps.assessment = f.settings.assessment;
    ctx.deps.clock = f.clock;
    return ctx;
}

}  // namespace

TEST_CASE("points export ledger writes the member's ledger as the API does", "[points][cli]") {
    RosterFixture f;
    f.import_demo();
    f.award("m2", "checkin.party_day", "checkin:a1", 5, kWxNow - 60);
    auto const ctx = cli_context(f);
    std::ostringstream out, err;
    CHECK(handlers::points_ledger_export_command(ctx, "m2", out, err) == 0);
    auto const api = f.call(verb::get, "/api/v1/admin/members/m2/points/export", {}, f.bureau_token());
    CHECK(out.str() == api.body);
    CHECK(out.str().rfind("\xEF\xBB\xBF", 0) == 0);
    std::ostringstream none, why;
    CHECK(handlers::points_ledger_export_command(ctx, "m404", none, why) == 1);
    CHECK(none.str().empty());
    CHECK(why.str().find("m404") != std::string::npos);
}

TEST_CASE("points export assessment writes every branch, and refuses a bad half-year", "[points][cli]") {
    RosterFixture f;
    f.import_demo();
    auto const ctx = cli_context(f);
    std::ostringstream out, err;
    CHECK(handlers::assessment_export_command(ctx, "2024H1", out, err) == 0);
    CHECK(out.str().rfind("\xEF\xBB\xBF支部编号,", 0) == 0);
    CHECK(out.str().find("b1,示范第一党支部,2024H1,") != std::string::npos);
    CHECK(out.str().find("b2,示范第二党支部,2024H1,") != std::string::npos);
    std::ostringstream current, err2;
    CHECK(handlers::assessment_export_command(ctx, "", current, err2) == 0);  // kWxNow's half
    CHECK(current.str() == out.str());
    std::ostringstream none, why;
    CHECK(handlers::assessment_export_command(ctx, "2024H3", none, why) == 1);
    CHECK(none.str().empty());
    CHECK(why.str().find("2024H3") != std::string::npos);
}

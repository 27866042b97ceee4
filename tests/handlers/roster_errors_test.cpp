#include "handlers/roster_errors.hpp"

#include "server/templates.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace bense;
using namespace bense::handlers;

TEST_CASE("every roster error has its own row, code and template, apart from the runtime's", "[roster][errors]") {
    auto templates = server::Templates::load_dir(BENSE_SOURCE_DIR "/templates");
    REQUIRE(templates.has_value());
    CHECK(templates->check(roster_error_template_needs()).empty());
    std::set<std::string_view> codes;
    for (auto const& row : server::all_error_rows()) {
        codes.insert(row.code);
    }
    for (int i = 1; i <= kRosterErrcCount; ++i) {
        auto const e = static_cast<roster_errc>(i);
        auto const& row = error_row(e);
        INFO("roster_errc " << i << " code " << row.code);
        CHECK(codes.insert(row.code).second);
        CHECK(static_cast<int>(row.status) >= 400);
        CHECK(boost::system::error_code(e).message() == std::string(row.code));
        CHECK(roster_error_from_code(row.code) == boost::system::error_code(e));
        CHECK(&roster_error_row(e) == &row);
    }
}

TEST_CASE("the store's codes map to roster and runtime rows, unknown ones are internal", "[roster][errors]") {
    CHECK(roster_error_from_code("auth.forbidden") == server::errc::forbidden);
    CHECK(roster_error_from_code("auth.unauthorized") == server::errc::unauthorized);
    CHECK(roster_error_from_code("import.invalid") == roster_errc::import_invalid);
    CHECK(roster_error_from_code("bind.code_wrong") == roster_errc::bind_code_wrong);
    CHECK(roster_error_from_code("code.exhausted") == server::errc::server_busy);
    CHECK(roster_error_from_code("no.such") == server::errc::internal);
    CHECK(roster_error_from_code("") == server::errc::internal);
    CHECK(roster_error_row(server::errc::store_unavailable).code == "store.unavailable");
    CHECK(roster_error_row(boost::system::error_code(5, boost::system::generic_category())).code == "server.internal");
    CHECK(error_row(roster_errc::not_bound).status == boost::beast::http::status::forbidden);
    CHECK(error_row(roster_errc::bind_too_many).status == boost::beast::http::status::too_many_requests);
    CHECK(error_row(roster_errc::login_code_used).status == boost::beast::http::status::unauthorized);
}

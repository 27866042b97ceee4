#include "server/errors.hpp"

#include "server/templates.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace bense::server;

TEST_CASE("every runtime error has its own row, code and template", "[errors]") {
    auto templates = Templates::load_dir(BENSE_SOURCE_DIR "/templates");
    REQUIRE(templates.has_value());
    std::set<std::string_view> codes;
    for (int i = 1; i <= kErrcCount; ++i) {
        auto const e = static_cast<errc>(i);
        auto const& row = error_row(e);
        INFO("errc " << i << " code " << row.code);
        CHECK(codes.insert(row.code).second);
        CHECK(templates->has(row.template_key));
        CHECK(static_cast<int>(row.status) >= 400);
        CHECK(boost::system::error_code(e).message() == std::string(row.code));
    }
    CHECK(all_error_rows().size() == static_cast<std::size_t>(kErrcCount));
}

TEST_CASE("runtime errors map to the statuses clients expect", "[errors]") {
    using boost::beast::http::status;
    CHECK(error_row(errc::bad_json).status == status::bad_request);
    CHECK(error_row(errc::body_too_large).status == status::payload_too_large);
    CHECK(error_row(errc::not_found).status == status::not_found);
    CHECK(error_row(errc::store_unavailable).status == status::service_unavailable);
    CHECK(error_row(errc::store_timeout).status == status::service_unavailable);
}

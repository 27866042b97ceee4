#include "server/router.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::server;

namespace {

net::awaitable<Response> nothing(Request&) { co_return Response{}; }

Router sample_router() {
    Router r;
    r.add({http::verb::get, "/healthz", nothing});
    r.add({http::verb::get, "/api/v1/members/{id}", nothing});
    r.add({http::verb::post, "/api/v1/members/{id}/roles/{role}", nothing});
    r.add({http::verb::get, "/api/v1/members", nothing});
    return r;
}

}  // namespace

TEST_CASE("router matches literal paths by method", "[router]") {
    auto r = sample_router();
    auto m = r.match(http::verb::get, "/healthz");
    REQUIRE(m.route != nullptr);
    CHECK(m.route->pattern == "/healthz");
    CHECK(m.params.empty());
}

TEST_CASE("router extracts and decodes path parameters", "[router]") {
    auto r = sample_router();
    auto m = r.match(http::verb::post, "/api/v1/members/m%2042/roles/secretary");
    REQUIRE(m.route != nullptr);
    REQUIRE(m.params.size() == 2);
    CHECK(m.params[0] == std::pair<std::string, std::string>{"id", "m 42"});
    CHECK(m.params[1] == std::pair<std::string, std::string>{"role", "secretary"});
}

TEST_CASE("router tells an unknown path from a known path with another method", "[router]") {
    auto r = sample_router();
    auto unknown = r.match(http::verb::get, "/nope");
    CHECK(unknown.route == nullptr);
    CHECK_FALSE(unknown.path_known);
    auto wrong_method = r.match(http::verb::delete_, "/api/v1/members/7");
    CHECK(wrong_method.route == nullptr);
    CHECK(wrong_method.path_known);
}

TEST_CASE("router does not match empty parameters, extra segments or bad escapes", "[router]") {
    auto r = sample_router();
    CHECK(r.match(http::verb::get, "/api/v1/members/").route == nullptr);
    CHECK(r.match(http::verb::get, "/api/v1/members/7/extra").route == nullptr);
    CHECK(r.match(http::verb::get, "/api/v1/members/%zz").route == nullptr);
    CHECK(r.match(http::verb::get, "").route == nullptr);
    CHECK(r.match(http::verb::get, "/api/v1/members").route != nullptr);
}

TEST_CASE("router rejects duplicate and malformed routes at start-up", "[router]") {
    auto r = sample_router();
    CHECK_THROWS_AS(r.add({http::verb::get, "/healthz", nothing}), std::invalid_argument);
    CHECK_THROWS_AS(r.add({http::verb::get, "healthz", nothing}), std::invalid_argument);
    CHECK_NOTHROW(r.add({http::verb::post, "/healthz", nothing}));
}

TEST_CASE("router picks among rows that share a parameter and differ after it", "[router]") {
    Router r;
    r.add({http::verb::get, "/api/v1/admin/members/{no}", nothing});
    r.add({http::verb::get, "/api/v1/admin/members/{no}/points", nothing});
    r.add({http::verb::post, "/api/v1/admin/members/{no}/status", nothing});
    r.add({http::verb::post, "/api/v1/admin/members/{no}/points", nothing});
    auto m = r.match(http::verb::post, "/api/v1/admin/members/n%2042/points");
    REQUIRE(m.route != nullptr);
    CHECK(m.route->pattern == "/api/v1/admin/members/{no}/points");
    CHECK(m.route->verb == http::verb::post);
    REQUIRE(m.params.size() == 1);
    CHECK(m.params[0] == std::pair<std::string, std::string>{"no", "n 42"});
    auto wrong_method = r.match(http::verb::delete_, "/api/v1/admin/members/n42/status");
    CHECK(wrong_method.route == nullptr);
    CHECK(wrong_method.path_known);
    CHECK_FALSE(r.match(http::verb::post, "/api/v1/admin/members/%zz/points").path_known);
    CHECK(r.match(http::verb::post, "/api/v1/admin/members/n42/roles").route == nullptr);
}

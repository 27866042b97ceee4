// The whole server: graceful shutdown with requests in flight, several workers on one port.
#include "server/http_server.hpp"

#include "server/response.hpp"
#include "server/worker.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace bense;
using namespace bense::server;
using test::HttpClient;

namespace {

net::awaitable<Response> slow(Request& req) {
    net::steady_timer t(req.worker->ioc(), std::chrono::milliseconds(400));
    co_await t.async_wait(use_tuple);
    co_return text_response(http::status::ok, "done");
}

}  // namespace

TEST_CASE("graceful shutdown finishes requests in flight, then stops", "[http][shutdown]") {
    test::TestServer server({.add_routes = [](Router& r) { r.add({http::verb::get, "/test/slow", slow}); }});
    REQUIRE(server.wait_redis_ready());
    HttpClient idle(server.port());  // kept alive, no request in flight: closed at once
    CHECK(idle.get("/livez").result_int() == 200);

    auto in_flight = std::async(std::launch::async, [port = server.port()] {
        HttpClient client(port);
        return client.get("/test/slow");
    });
    // Let the request reach the handler before stopping.
    REQUIRE(test::eventually([&] {
        return server.http().open_connections().load() >= 2;
    }));
    auto const stop_at = std::chrono::steady_clock::now();
    server.http().stop();
    CHECK(idle.closed_by_peer(std::chrono::seconds(2)));
    auto res = in_flight.get();
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "done");
    CHECK_FALSE(res.keep_alive());  // told to go away after this one
    CHECK(server.http().wait_for(std::chrono::seconds(5)));
    CHECK(std::chrono::steady_clock::now() - stop_at < std::chrono::seconds(5));
    // Nobody is listening any more.
    CHECK_THROWS(HttpClient(server.port()));
}

TEST_CASE("several workers share one port", "[http]") {
    test::TestServer server({.configure = [](Config& c) { c.server.threads = 3; }});
    CHECK(server.http().worker_count() == 3);
    for (int i = 0; i < 12; ++i) {
        HttpClient client(server.port());
        CHECK(client.get("/livez").result_int() == 200);
    }
}

// HttpsClient against a real TLS server on loopback: verification, reuse, limits, timeouts,
// and the unknown outcome of a request that was sent but never answered.
#include "server/https_client.hpp"

#include "server/errors.hpp"
#include "server/loopback_https_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <atomic>

using namespace bense;
using namespace bense::server;

namespace {

HttpsClientOptions trusting(LoopbackHttpsServer const& server) {
    HttpsClientOptions o;
    o.base_url = server.base_url();
    o.trust_system_store = false;
    o.extra_trusted_pem = server.cert_pem();
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.request_timeout = std::chrono::milliseconds(2000);
    return o;
}

// Runs `body` as a coroutine on a fresh io_context and returns its result.
template <class F>
auto run(F body) {
    net::io_context ioc(1);
    auto fut = net::co_spawn(ioc, body(ioc.get_executor()), net::use_future);
    ioc.run();
    return fut.get();
}

HttpsResult one_request(HttpsClientOptions options, std::string target, std::string body = {}) {
    return run([&](net::any_io_executor ex) -> net::awaitable<HttpsResult> {
        auto client = HttpsClient::create(ex, options);
        REQUIRE(client.has_value());
        co_return co_await (*client)->request(http::verb::post, target, body);
    });
}

HttpsAnswer echo(http::request<http::string_body> const& req) {
    return LoopbackHttpsServer::json(200, std::string(req.target()) + " " + req.body());
}

}  // namespace

TEST_CASE("https client talks to a trusted server and keeps the connection", "[https]") {
    LoopbackHttpsServer server(echo);
    auto results = run([&](net::any_io_executor ex) -> net::awaitable<std::vector<HttpsResult>> {
        auto client = HttpsClient::create(ex, trusting(server));
        REQUIRE(client.has_value());
        std::vector<HttpsResult> out;
        for (int i = 0; i < 5; ++i) {
            out.push_back(co_await (*client)->request(http::verb::post, "/cgi-bin/x?i=" + std::to_string(i), "{}"));
        }
        co_return out;
    });
    for (int i = 0; i < 5; ++i) {
        CHECK_FALSE(results[i].ec);
        CHECK(results[i].response.status == 200);
        CHECK(results[i].response.body == "/cgi-bin/x?i=" + std::to_string(i) + " {}");
    }
    CHECK(server.connections_accepted() == 1);
}

TEST_CASE("https client refuses a certificate it does not trust", "[https]") {
    LoopbackHttpsServer server(echo);
    auto options = trusting(server);
    options.extra_trusted_pem.clear();
    options.trust_system_store = true;  // the system store knows nothing of our self-signed cert
    auto r = one_request(options, "/x");
    CHECK(r.ec == errc::upstream_unavailable);
    CHECK_FALSE(r.maybe_delivered);
    CHECK(r.detail.find("TLS handshake") != std::string::npos);
}

TEST_CASE("https client checks the host name against the certificate", "[https]") {
    LoopbackHttpsServer server(echo, "127.0.0.2");  // the certificate names 127.0.0.1 and localhost only
    auto r = one_request(trusting(server), "/x");
    CHECK(r.ec == errc::upstream_unavailable);
    CHECK(r.detail.find("TLS handshake") != std::string::npos);
}

TEST_CASE("https client: no answer in time means a possibly delivered request", "[https]") {
    LoopbackHttpsServer server([](auto const&) {
        auto a = LoopbackHttpsServer::json(200, "late");
        a.delay = std::chrono::milliseconds(1500);
        return a;
    });
    auto options = trusting(server);
    options.request_timeout = std::chrono::milliseconds(300);
    auto r = one_request(options, "/send");
    CHECK(r.ec == errc::upstream_timeout);
    CHECK(r.maybe_delivered);
}

TEST_CASE("https client: a dropped connection after the request is an unknown outcome", "[https]") {
    LoopbackHttpsServer server([](auto const&) {
        HttpsAnswer a;
        a.drop = true;
        return a;
    });
    auto r = one_request(trusting(server), "/send");
    CHECK(r.ec == errc::upstream_unavailable);
    CHECK(r.maybe_delivered);
}

TEST_CASE("https client: connection refused is known not delivered", "[https]") {
    HttpsClientOptions options;
    {
        LoopbackHttpsServer gone(echo);
        options = trusting(gone);
    }  // closed: nothing listens on that port any more
    auto r = one_request(options, "/send");
    CHECK(r.ec == errc::upstream_unavailable);
    CHECK_FALSE(r.maybe_delivered);
}

TEST_CASE("https client opens no more than max_connections", "[https]") {
    LoopbackHttpsServer server([](auto const& req) {
        auto a = echo(req);
        a.delay = std::chrono::milliseconds(50);
        return a;
    });
    auto options = trusting(server);
    options.max_connections = 2;
    auto ok = run([&](net::any_io_executor ex) -> net::awaitable<int> {
        auto client = HttpsClient::create(ex, options);
        REQUIRE(client.has_value());
        auto& c = **client;
        int done = 0, good = 0;
        net::steady_timer all_done(ex, std::chrono::steady_clock::time_point::max());
        for (int i = 0; i < 10; ++i) {
            net::co_spawn(ex, c.request(http::verb::get, "/p"), [&](std::exception_ptr, HttpsResult r) {
                good += (!r.ec && r.response.status == 200) ? 1 : 0;
                if (++done == 10) {
                    all_done.cancel();
                }
            });
        }
        co_await all_done.async_wait(use_tuple);
        co_return good;
    });
    CHECK(ok == 10);
    CHECK(server.max_concurrent_connections() <= 2);
}

TEST_CASE("https client rejects a malformed base URL at creation", "[https]") {
    net::io_context ioc;
    HttpsClientOptions o;
    o.base_url = "http://api.weixin.qq.com";
    CHECK_FALSE(HttpsClient::create(ioc.get_executor(), o).has_value());
    o.base_url = "https://";
    CHECK_FALSE(HttpsClient::create(ioc.get_executor(), o).has_value());
}

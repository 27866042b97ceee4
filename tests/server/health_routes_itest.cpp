// /healthz follows Redis: 200 when it answers with our functions loaded, 503 with the reason
// otherwise, and back to 200 by itself after Redis returns. /metrics shows what happened.
#include "server/health_routes.hpp"

#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace bense;
using test::HttpClient;

TEST_CASE("healthz is 200 when Redis answers and livez touches nothing", "[health][redis]") {
    test::TestServer server;
    REQUIRE(server.wait_redis_ready());
    HttpClient client(server.port());
    auto res = client.get("/healthz");
    CHECK(res.result_int() == 200);
    CHECK(res.body() == R"({"status":"ok"})");
    CHECK(client.get("/livez").result_int() == 200);
}

TEST_CASE("healthz is 503 while Redis is down and recovers within 5 s of its return",
          "[health][redis]") {
    test::RedisServer redis;  // its own: this test kills it
    test::TestServer server({.configure = [](server::Config& c) {
                                 c.redis.command_timeout = std::chrono::milliseconds(300);
                             },
                             .redis_address = redis.address()});
    REQUIRE(server.wait_redis_ready());
    HttpClient client(server.port());
    CHECK(client.get("/healthz").result_int() == 200);

    redis.kill();
    REQUIRE(test::eventually([&] { return client.get("/healthz").result_int() == 503; }));
    auto down = client.get("/healthz");
    CHECK(down.body().find("\"status\":\"unavailable\"") != std::string::npos);
    CHECK(down.body().find("\"reason\":\"redis: ") != std::string::npos);
    CHECK(client.get("/livez").result_int() == 200);  // the server itself is fine

    redis.start();
    auto const back = std::chrono::steady_clock::now();
    REQUIRE(test::eventually([&] { return client.get("/healthz").result_int() == 200; },
                             std::chrono::seconds(5)));
    CHECK(std::chrono::steady_clock::now() - back < std::chrono::seconds(5));
    auto metrics = client.get("/metrics").body();
    CHECK(metrics.find("bense_redis_reconnects_total") != std::string::npos);
    CHECK(metrics.find("bense_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"503\"}") !=
          std::string::npos);
}

TEST_CASE("metrics are Prometheus text with requests, latency and connections", "[health]") {
    test::TestServer server;
    HttpClient client(server.port());
    client.get("/livez");
    client.get("/nowhere");
    auto res = client.get("/metrics");
    CHECK(res.result_int() == 200);
    CHECK(res[http::field::content_type].starts_with("text/plain; version=0.0.4"));
    auto const& text = res.body();
    CHECK(text.find("# TYPE bense_http_requests_total counter") != std::string::npos);
    CHECK(text.find("bense_http_requests_total{route=\"/livez\",method=\"GET\",status=\"200\"} 1") != std::string::npos);
    CHECK(text.find("bense_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1") != std::string::npos);
    CHECK(text.find("bense_http_request_duration_seconds_bucket{route=\"/livez\",le=\"+Inf\"} 1") != std::string::npos);
    CHECK(text.find("bense_http_connections_open 1") != std::string::npos);
    CHECK(text.find("bense_redis_commands_total") != std::string::npos);
}

TEST_CASE("killing Redis under load gives 503s, never a hang or crash, then recovers",
          "[health][redis]") {
    test::RedisServer redis;
    test::TestServer server({.configure = [](server::Config& c) {
                                 c.redis.command_timeout = std::chrono::milliseconds(300);
                             },
                             .redis_address = redis.address()});
    REQUIRE(server.wait_redis_ready());
    std::atomic<bool> stop{false};
    std::atomic<int> ok{0}, unavailable{0}, other{0};
    std::vector<std::thread> load;
    for (int t = 0; t < 4; ++t) {
        load.emplace_back([&, port = server.port()] {
            HttpClient client(port);
            while (!stop) {
                auto status = client.get("/healthz").result_int();
                (status == 200 ? ok : status == 503 ? unavailable : other)++;
            }
        });
    }
    REQUIRE(test::eventually([&] { return ok.load() > 100; }));
    redis.kill();
    REQUIRE(test::eventually([&] { return unavailable.load() > 100; }));
    int const ok_before_restart = ok.load();
    redis.start();
    auto const back = std::chrono::steady_clock::now();
    REQUIRE(test::eventually([&] { return ok.load() > ok_before_restart + 100; }, std::chrono::seconds(5)));
    CHECK(std::chrono::steady_clock::now() - back < std::chrono::seconds(5));
    stop = true;
    for (auto& t : load) {
        t.join();  // every client got an answer to every request: nothing hung
    }
    CHECK(other.load() == 0);
}

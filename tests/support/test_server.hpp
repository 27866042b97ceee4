// The server in-process, on port 0, against the shared private Redis, with the project's real
// templates and health routes plus whatever routes a test adds.
#pragma once

#include "server/http_server.hpp"
#include "server/runtime.hpp"

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace bense::test {

struct TestServerOptions {
    std::function<void(server::Config&)> configure;   // tweak limits, timeouts, threads
    std::function<void(server::Router&)> add_routes;  // extra routes for the test
    std::string redis_address;                         // default: the shared test Redis
    std::vector<std::string_view> redis_libraries;     // loaded besides the runtime's own
    std::vector<std::function<void(server::Worker&)>> worker_setup;  // e.g. the WeChat API client
};

class TestServer {
public:
    explicit TestServer(TestServerOptions options = {});
    ~TestServer();

    std::uint16_t port() const { return http_->port(); }
    server::HttpServer& http() { return *http_; }
    // Waits (bounded) until every worker's Redis connection is ready; false on timeout.
    bool wait_redis_ready(std::chrono::milliseconds within = std::chrono::seconds(10));

private:
    std::shared_ptr<server::Runtime> runtime_;
    std::unique_ptr<server::HttpServer> http_;
};

// The real templates of the source tree.
server::Templates project_templates();

// Polls `condition` until it holds or `within` passes; returns whether it held.
bool eventually(std::function<bool()> const& condition,
                std::chrono::milliseconds within = std::chrono::seconds(10));

}  // namespace bense::test

// In-process server for integration tests.
#include "support/test_server.hpp"

#include "server/health_routes.hpp"
#include "support/redis_server.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

namespace bense::test {
namespace {

// Test output stays readable: the server logs warnings and worse (failures still show).
[[maybe_unused]] bool const kQuietLogs = [] {
    spdlog::set_level(spdlog::level::warn);
    return true;
}();

}  // namespace

server::Templates project_templates() {
    auto t = server::Templates::load_dir(BENSE_SOURCE_DIR "/templates");
    if (!t) {
        throw std::runtime_error(t.error());
    }
    return std::move(*t);
}

bool eventually(std::function<bool()> const& condition, std::chrono::milliseconds within) {
    auto const deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

TestServer::TestServer(TestServerOptions options) {
    runtime_ = std::make_shared<server::Runtime>();
    auto& cfg = runtime_->config;
    cfg.server.port = 0;
    cfg.server.threads = 2;
    cfg.server.shutdown_timeout = std::chrono::seconds(5);
    cfg.redis.address = options.redis_address.empty() ? shared_redis().address() : options.redis_address;
    cfg.log.level = "warn";
    if (options.configure) {
        options.configure(cfg);
    }
    runtime_->templates = project_templates();
    server::add_health_routes(runtime_->router);
    if (options.add_routes) {
        options.add_routes(runtime_->router);
    }
    runtime_->redis_libraries.push_back(server::server_redis_library());
    for (auto lib : options.redis_libraries) {
        runtime_->redis_libraries.push_back(lib);
    }
    runtime_->worker_setup = std::move(options.worker_setup);
    http_ = std::make_unique<server::HttpServer>(runtime_);
    http_->start();
}

TestServer::~TestServer() { http_->shutdown(); }

bool TestServer::wait_redis_ready(std::chrono::milliseconds within) {
    return eventually(
        [this] {
            for (std::size_t i = 0; i < http_->worker_count(); ++i) {
                if (!http_->worker(i).redis().ready()) {
                    return false;
                }
            }
            return true;
        },
        within);
}

}  // namespace bense::test

// HttpServer: builds the workers, binds them to one port and runs one thread each.
#include "server/http_server.hpp"

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

namespace bense::embedded {
// Generated from server/redis_functions.lua by bense_embed_text (CMakeLists.txt).
extern std::string_view const server_redis_functions;
}  // namespace bense::embedded

namespace bense::server {

std::string_view server_redis_library() { return embedded::server_redis_functions; }

HttpServer::HttpServer(std::shared_ptr<Runtime const> runtime)
    : runtime_(std::move(runtime)), metrics_(effective_threads(runtime_->config.server)) {
    describe_metrics();
}

HttpServer::~HttpServer() {
    if (!threads_.empty()) {
        shutdown();
    }
}

void HttpServer::describe_metrics() {
    metrics_.describe("bense_http_requests_total", "counter", "HTTP requests by route, method and status.");
    metrics_.describe("bense_http_request_duration_seconds", "histogram", "Time from a request's header to its response, by route.");
    metrics_.describe("bense_http_connections_open", "gauge", "Open client connections.");
    metrics_.describe("bense_handler_exceptions_total", "counter", "Requests answered 500 because a handler threw (a bug).");
    metrics_.describe("bense_redis_commands_total", "counter", "Commands sent to Redis.");
    metrics_.describe("bense_redis_errors_total", "counter", "Redis commands that failed, by kind.");
    metrics_.describe("bense_redis_reconnects_total", "counter", "Redis reconnect attempts.");
    metrics_.describe("bense_redis_ready", "gauge", "Workers whose Redis connection is ready.");
    metrics_.gauge_fn("bense_http_connections_open",
                      [this] { return static_cast<double>(open_connections_.load()); });
    auto sum = [this](std::atomic<std::uint64_t> RedisStats::*field) {
        return [this, field] {
            double total = 0;
            for (auto const& s : redis_stats_) {
                total += static_cast<double>(((*s).*field).load(std::memory_order_relaxed));
            }
            return total;
        };
    };
    metrics_.gauge_fn("bense_redis_commands_total", sum(&RedisStats::commands));
    metrics_.gauge_fn("bense_redis_errors_total{kind=\"error_reply\"}", sum(&RedisStats::error_replies));
    metrics_.gauge_fn("bense_redis_errors_total{kind=\"timeout\"}", sum(&RedisStats::timeouts));
    metrics_.gauge_fn("bense_redis_errors_total{kind=\"disconnected\"}", sum(&RedisStats::disconnects));
    metrics_.gauge_fn("bense_redis_errors_total{kind=\"unavailable\"}", sum(&RedisStats::unavailable));
    metrics_.gauge_fn("bense_redis_reconnects_total", sum(&RedisStats::reconnects));
}

void HttpServer::start() {
    auto const& cfg = runtime_->config.server;
    auto const n = metrics_.shard_count();
    for (std::size_t i = 0; i < n; ++i) {
        redis_stats_.push_back(std::make_unique<RedisStats>());
    }
    for (std::size_t i = 0; i < n; ++i) {
        workers_.push_back(std::make_unique<Worker>(i, *this, *runtime_, metrics_.shard(i), *redis_stats_[i]));
        for (auto const& setup : runtime_->worker_setup) {
            setup(*workers_.back());
        }
    }
    auto const address = net::ip::make_address(cfg.listen);
    workers_[0]->listen(tcp::endpoint(address, cfg.port));
    port_ = workers_[0]->port();
    for (std::size_t i = 1; i < n; ++i) {
        workers_[i]->listen(tcp::endpoint(address, port_));
    }
    // Read the ready gauge from the workers' own clients; ready() is a plain read of a state
    // that only changes on the worker thread, good enough for a gauge.
    metrics_.gauge_fn("bense_redis_ready", [this] {
        double ready = 0;
        for (auto const& w : workers_) {
            ready += w->redis().ready() ? 1 : 0;
        }
        return ready;
    });
    running_ = n;
    for (auto& w : workers_) {
        w->start();
        threads_.emplace_back([this, worker = w.get()] {
            worker->run();
            std::lock_guard lock(done_mutex_);
            --running_;
            done_cv_.notify_all();
        });
    }
    spdlog::info("listening on {}:{} with {} threads", cfg.listen, port_, n);
}

void HttpServer::stop() {
    if (stopping_.exchange(true)) {
        return;
    }
    for (auto& w : workers_) {
        w->begin_shutdown();
    }
}

bool HttpServer::wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(done_mutex_);
    bool const drained = done_cv_.wait_for(lock, timeout, [this] { return running_ == 0; });
    lock.unlock();
    if (drained) {
        for (auto& t : threads_) {
            if (t.joinable()) {
                t.join();
            }
        }
        threads_.clear();
    }
    return drained;
}

bool HttpServer::shutdown() {
    stop();
    if (wait_for(runtime_->config.server.shutdown_timeout)) {
        return true;
    }
    spdlog::warn("shutdown: requests still running after {} ms; stopping anyway",
                 runtime_->config.server.shutdown_timeout.count());
    for (auto& w : workers_) {
        w->ioc().stop();
    }
    for (auto& t : threads_) {
        if (t.joinable()) {
            t.join();
        }
    }
    threads_.clear();
    return false;
}

}  // namespace bense::server

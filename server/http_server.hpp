// The HTTP server: N workers (one per core by default), each accepting on the same port.
// start() binds and runs the threads; stop() is graceful: stop accepting, close idle
// connections, let requests in flight finish, then close Redis and let the threads end.
#pragma once

#include "server/metrics.hpp"
#include "server/redis_client.hpp"
#include "server/runtime.hpp"
#include "server/worker.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace bense::server {

class HttpServer {
public:
    explicit HttpServer(std::shared_ptr<Runtime const> runtime);
    ~HttpServer();
    HttpServer(HttpServer const&) = delete;
    HttpServer& operator=(HttpServer const&) = delete;

    // Binds every worker's acceptor and starts the threads. Throws boost::system::system_error
    // when the address cannot be bound (start-up: the process should stop with the reason).
    void start();
    std::uint16_t port() const { return port_; }

    // Graceful stop; thread-safe and idempotent.
    void stop();
    // Waits for the workers to drain; true when they all did within `timeout`.
    bool wait_for(std::chrono::milliseconds timeout);
    // stop(), wait up to the configured shutdown timeout, then stop the loops outright.
    // Returns true when everything drained in time.
    bool shutdown();

    Runtime const& runtime() const { return *runtime_; }
    Metrics& metrics() { return metrics_; }
    std::atomic<std::size_t>& open_connections() { return open_connections_; }
    std::size_t worker_count() const { return workers_.size(); }
    Worker& worker(std::size_t i) { return *workers_.at(i); }

private:
    void describe_metrics();

    std::shared_ptr<Runtime const> runtime_;
    Metrics metrics_;
    std::vector<std::unique_ptr<RedisStats>> redis_stats_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<std::thread> threads_;
    std::atomic<std::size_t> open_connections_{0};
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    std::mutex done_mutex_;
    std::condition_variable done_cv_;
    std::size_t running_ = 0;
};

}  // namespace bense::server

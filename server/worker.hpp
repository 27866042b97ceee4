// One worker: one thread, one io_context, its own acceptor (SO_REUSEPORT) and its own Redis
// connection, so a request never leaves its thread and concurrent commands pipeline on that
// connection. Holds the registry of its open sessions for graceful shutdown.
#pragma once

#include "server/metrics.hpp"
#include "server/net.hpp"
#include "server/random_pool.hpp"
#include "server/redis_client.hpp"
#include "server/runtime.hpp"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <typeindex>

namespace bense::server {

class HttpServer;

class Worker {
public:
    struct SessionSlot {
        beast::tcp_stream* stream;
        bool idle;  // waiting for the next request: may be closed at once on shutdown
    };
    using SessionHandle = std::list<SessionSlot>::iterator;

    Worker(std::size_t index, HttpServer& server, Runtime const& runtime, MetricsShard& metrics,
           RedisStats& redis_stats);
    ~Worker();

    net::io_context& ioc() { return ioc_; }
    RedisClient& redis() { return *redis_; }
    MetricsShard& metrics() { return metrics_; }
    RandomPool& random() { return random_; }
    Runtime const& runtime() const { return runtime_; }
    Templates const& templates() const { return runtime_.templates; }
    HttpServer& server() { return server_; }
    std::size_t index() const { return index_; }
    bool stopping() const { return stopping_; }

    // Binds the acceptor; port 0 picks a free port (the first worker), the others then share it.
    void listen(tcp::endpoint const& endpoint);
    std::uint16_t port() const;
    void start();  // starts accepting and connecting to Redis; call before run()
    void run();    // runs the io_context on the calling thread until the worker has drained
    // Stops accepting, closes idle connections; busy ones close after their response.
    // Thread-safe: posts onto the worker's own thread.
    void begin_shutdown();

    // Per-thread services that other modules attach before the worker runs (e.g. the WeChat
    // API client with its connection pool), found by type. They are destroyed before the
    // Redis client and the io_context they use.
    template <class T>
    T* service() const {
        auto it = services_.find(std::type_index(typeid(T)));
        return it == services_.end() ? nullptr : static_cast<T*>(it->second.get());
    }
    template <class T>
    void set_service(std::shared_ptr<T> s) {
        services_[std::type_index(typeid(T))] = std::move(s);
    }

    SessionHandle add_session(beast::tcp_stream& stream);
    void set_idle(SessionHandle h, bool idle) { h->idle = idle; }
    void remove_session(SessionHandle h);

private:
    net::awaitable<void> accept_loop();
    void maybe_finish();

    // Declared first: destroyed last, after the Redis client has released its descriptor.
    net::io_context ioc_{1};
    std::size_t index_;
    HttpServer& server_;
    Runtime const& runtime_;
    MetricsShard& metrics_;
    RandomPool random_;
    std::unique_ptr<RedisClient> redis_;
    std::optional<tcp::acceptor> acceptor_;
    std::list<SessionSlot> sessions_;
    std::map<std::type_index, std::shared_ptr<void>> services_;
    bool stopping_ = false;
};

}  // namespace bense::server

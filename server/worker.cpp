// Worker: accept loop, session registry and the drain that ends its thread on shutdown.
#include "server/worker.hpp"

#include "server/http_server.hpp"
#include "server/http_session.hpp"

#include <spdlog/spdlog.h>

#include <sys/socket.h>

namespace bense::server {

Worker::Worker(std::size_t index, HttpServer& server, Runtime const& runtime, MetricsShard& metrics,
               RedisStats& redis_stats)
    : index_(index), server_(server), runtime_(runtime), metrics_(metrics) {
    RedisClient::Options options;
    options.config = runtime.config.redis;
    options.function_libraries = runtime.redis_libraries;
    redis_ = std::make_unique<RedisClient>(ioc_.get_executor(), std::move(options), &redis_stats);
}

Worker::~Worker() {
    services_.clear();  // they may hold sockets and use the Redis client
    acceptor_.reset();
    redis_.reset();  // before ioc_: the client releases its descriptor into a live reactor
}

void Worker::listen(tcp::endpoint const& endpoint) {
    acceptor_.emplace(ioc_);
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(net::socket_base::reuse_address(true));
    // Every worker binds the same port; the kernel spreads new connections across them.
    acceptor_->set_option(net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
    acceptor_->bind(endpoint);
    acceptor_->listen(net::socket_base::max_listen_connections);
}

std::uint16_t Worker::port() const { return acceptor_->local_endpoint().port(); }

void Worker::start() {
    redis_->start();
    net::co_spawn(ioc_, accept_loop(), [](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& ex) {
                spdlog::critical("accept loop failed: {}", ex.what());
            }
        }
    });
}

void Worker::run() { ioc_.run(); }

net::awaitable<void> Worker::accept_loop() {
    auto const max_connections = runtime_.config.server.max_connections;
    while (acceptor_ && acceptor_->is_open()) {
        auto [ec, socket] = co_await acceptor_->async_accept(use_tuple);
        if (ec) {
            if (stopping_ || ec == net::error::operation_aborted) {
                co_return;
            }
            // Out of descriptors and the like: say so, and do not spin on the error.
            spdlog::warn("accept failed: {}", ec.message());
            net::steady_timer pause(ioc_, std::chrono::milliseconds(50));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        auto& open = server_.open_connections();
        if (open.load(std::memory_order_relaxed) >= max_connections) {
            net::co_spawn(ioc_, reject_busy(*this, std::move(socket)), net::detached);
            continue;
        }
        open.fetch_add(1, std::memory_order_relaxed);
        net::co_spawn(ioc_, run_session(*this, std::move(socket)), [](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (std::exception const& ex) {
                    spdlog::error("session ended by an exception: {}", ex.what());
                }
            }
        });
    }
}

void Worker::begin_shutdown() {
    net::post(ioc_, [this] {
        if (stopping_) {
            return;
        }
        stopping_ = true;
        if (acceptor_) {
            error_code ec;
            acceptor_->close(ec);
        }
        for (auto& slot : sessions_) {
            if (slot.idle) {
                slot.stream->cancel();  // ends its wait for a next request
            }
        }
        maybe_finish();
    });
}

Worker::SessionHandle Worker::add_session(beast::tcp_stream& stream) {
    return sessions_.insert(sessions_.end(), SessionSlot{&stream, false});
}

void Worker::remove_session(SessionHandle h) {
    sessions_.erase(h);
    maybe_finish();
}

void Worker::maybe_finish() {
    // The last request has been answered: close Redis gracefully; then nothing is left to run
    // and run() returns.
    if (stopping_ && sessions_.empty()) {
        redis_->close();
    }
}

}  // namespace bense::server

// Redis client: one hiredis async context driven by the executor it is given; never blocks;
// completes every command exactly once (a reply, an error reply, a timeout or a disconnect),
// always by posting to the caller's executor. Reconnects with backoff and loads the project's
// Redis functions on every (re)connect, before any command of the caller is sent.
#pragma once

#include "server/config.hpp"
#include "server/net.hpp"
#include "server/redis_reply.hpp"

#include <boost/asio/any_completion_handler.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct redisAsyncContext;
struct redisReply;

namespace bense::server {

class HiredisAsio;

// Counters one client updates and /metrics reads from another thread.
struct RedisStats {
    std::atomic<std::uint64_t> commands{0};
    std::atomic<std::uint64_t> error_replies{0};
    std::atomic<std::uint64_t> timeouts{0};
    std::atomic<std::uint64_t> disconnects{0};
    std::atomic<std::uint64_t> unavailable{0};
    std::atomic<std::uint64_t> reconnects{0};
};

class RedisClient {
public:
    using Argv = std::vector<std::string>;
    using Completion = net::any_completion_handler<void(error_code, RedisReply)>;

    struct Options {
        RedisConfig config;
        // Lua sources (each starting "#!lua name=...") loaded with FUNCTION LOAD REPLACE.
        std::vector<std::string_view> function_libraries;
        std::size_t max_waiting = 10000;  // commands held while (re)connecting
    };

    // `executor` must be single-threaded (one io_context run by one thread): every hiredis call
    // and hook runs on it.
    RedisClient(net::any_io_executor executor, Options options, RedisStats* stats = nullptr);
    ~RedisClient();
    RedisClient(RedisClient const&) = delete;
    RedisClient& operator=(RedisClient const&) = delete;

    void start();
    // Stops reconnecting; lets pending replies arrive, then disconnects. Later commands fail
    // with errc::store_unavailable.
    void close();

    // Sends one command. Completes with ({}, reply), (store_error, error reply),
    // (store_timeout|store_disconnected|store_unavailable, nil).
    template <class Token>
    auto async_exec(Argv argv, Token&& token) {
        return net::async_initiate<Token, void(error_code, RedisReply)>(
            [this](auto handler, Argv args) {
                auto ex = net::get_associated_executor(handler, executor_);
                submit(std::move(args), Completion(std::move(handler)), net::any_io_executor(ex));
            },
            token, std::move(argv));
    }

    // `auto [ec, reply] = co_await redis.exec(argv);`
    net::awaitable<std::tuple<error_code, RedisReply>> exec(Argv argv) {
        return async_exec(std::move(argv), use_tuple);
    }

    // Sends several commands at once, so that they go out in one write and Redis answers them
    // in one read (one round trip, no Lua); completes when all are answered, with one outcome
    // per command in their order. Not a transaction: each command succeeds or fails alone.
    using Outcome = std::tuple<error_code, RedisReply>;
    using AllCompletion = net::any_completion_handler<void(std::vector<Outcome>)>;
    template <class Token>
    auto async_exec_all(std::vector<Argv> commands, Token&& token) {
        return net::async_initiate<Token, void(std::vector<Outcome>)>(
            [this](auto handler, std::vector<Argv> cmds) {
                auto ex = net::get_associated_executor(handler, executor_);
                submit_all(std::move(cmds), AllCompletion(std::move(handler)), net::any_io_executor(ex));
            },
            token, std::move(commands));
    }
    net::awaitable<std::vector<Outcome>> exec_all(std::vector<Argv> commands) {
        return async_exec_all(std::move(commands), net::use_awaitable);
    }

    bool ready() const { return state_ == State::ready; }
    // A short reason for /healthz when not ready ("connection refused", "loading functions").
    std::string const& last_error() const { return last_error_; }
    net::any_io_executor const& executor() const { return executor_; }

private:
    enum class State { disconnected, connecting, handshaking, ready, closed };

    // Move-construct only: see send_internal for the Boost 1.81 assignment bug.
    struct Entry {
        std::uint64_t id = 0;
        Argv argv;  // kept only while waiting to be sent
        Completion handler;
        net::any_io_executor handler_executor;
        std::chrono::steady_clock::time_point deadline;
        bool done = false;

        Entry(std::uint64_t id_, Argv argv_, Completion handler_, net::any_io_executor ex_,
              std::chrono::steady_clock::time_point deadline_, bool done_)
            : id(id_), argv(std::move(argv_)), handler(std::move(handler_)),
              handler_executor(std::move(ex_)), deadline(deadline_), done(done_) {}
        Entry(Entry&&) noexcept = default;
        Entry& operator=(Entry&&) = delete;
    };

    static void on_connect_tramp(redisAsyncContext const* ac, int status) noexcept;
    static void on_disconnect_tramp(redisAsyncContext const* ac, int status) noexcept;
    static void on_reply_tramp(redisAsyncContext* ac, void* reply, void* privdata) noexcept;

    void submit(Argv argv, Completion handler, net::any_io_executor handler_executor);
    void submit_all(std::vector<Argv> commands, AllCompletion handler, net::any_io_executor handler_executor);
    void send(Entry&& entry);
    void connect();
    void on_connect(int status);
    void on_disconnect(int status);
    void on_reply(std::uint64_t id, redisReply* reply);
    void begin_handshake();
    void send_internal(Argv argv, std::function<void(error_code, RedisReply const&)> done);
    void become_ready();
    void drop_connection(std::string reason);
    void schedule_reconnect();
    void fail_all(error_code ec);
    void arm_deadline_timer();
    void on_deadline();
    void complete(Entry& entry, error_code ec, RedisReply reply);
    void count_error(error_code ec);

    net::any_io_executor executor_;
    Options options_;
    RedisStats* stats_;
    RedisStats own_stats_;
    // Atomic only so that /metrics may read it from another thread; written on the executor.
    std::atomic<State> state_ = State::disconnected;
    redisAsyncContext* ac_ = nullptr;
    std::shared_ptr<HiredisAsio> adapter_;
    std::deque<Entry> pending_;  // sent, in the order Redis will answer
    std::deque<Entry> waiting_;  // not yet sent: arrived while connecting
    std::uint64_t next_id_ = 1;
    int handshake_left_ = 0;
    int consecutive_timeouts_ = 0;
    std::chrono::milliseconds backoff_;
    net::steady_timer reconnect_timer_;
    net::steady_timer connect_timer_;
    net::steady_timer deadline_timer_;
    bool deadline_armed_ = false;
    std::string last_error_ = "not connected yet";
    std::shared_ptr<bool> alive_;  // guards timer handlers against a destroyed client
};

}  // namespace bense::server

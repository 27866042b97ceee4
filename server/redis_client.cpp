// Redis client state machine: disconnected -> connecting -> handshaking -> ready -> (closed).
// Quirks of hiredis 0.14 that shape this file (async.c):
//  - a failed connect calls onConnect(REDIS_ERR) and frees the context; onDisconnect is not
//    called, so on_connect drops the context pointer itself;
//  - __redisAsyncFree runs pending callbacks with a NULL reply, then cleanup, then onDisconnect
//    (only if it had connected), then closes the fd;
//  - redisAsyncFormattedCommand returns REDIS_ERR while disconnecting, and then never calls back;
//  - there are no timeouts in async mode: one timer here covers every pending command.
#include "server/redis_client.hpp"

#include "server/errors.hpp"
#include "server/hiredis_asio.hpp"
#include "server/resp_command.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace bense::server {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr int kTimeoutsBeforeReconnect = 3;

RedisClient* client_of(redisAsyncContext const* ac) {
    return static_cast<RedisClient*>(ac->data);
}

}  // namespace

RedisClient::RedisClient(net::any_io_executor executor, Options options, RedisStats* stats)
    : executor_(std::move(executor)),
      options_(std::move(options)),
      stats_(stats != nullptr ? stats : &own_stats_),
      backoff_(kFirstBackoff),
      reconnect_timer_(executor_),
      connect_timer_(executor_),
      deadline_timer_(executor_),
      alive_(std::make_shared<bool>(true)) {}

RedisClient::~RedisClient() {
    state_ = State::closed;
    if (ac_ != nullptr) {
        auto* ac = ac_;
        ac_ = nullptr;
        redisAsyncFree(ac);  // runs pending callbacks with NULL; they find no client state left
    }
    waiting_.clear();
    pending_.clear();
}

void RedisClient::start() {
    net::dispatch(executor_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.lock() && state_ == State::disconnected) {
            connect();
        }
    });
}

void RedisClient::close() {
    net::dispatch(executor_, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (!alive.lock() || state_ == State::closed) {
            return;
        }
        bool const connected = state_ == State::handshaking || state_ == State::ready;
        state_ = State::closed;
        last_error_ = "closed";
        reconnect_timer_.cancel();
        connect_timer_.cancel();
        for (auto& entry : waiting_) {
            complete(entry, errc::store_unavailable, {});
        }
        waiting_.clear();
        if (ac_ == nullptr) {
            return;
        }
        if (connected) {
            redisAsyncDisconnect(ac_);  // pending replies still arrive; onDisconnect drops ac_
        } else {
            // Still connecting: hiredis would free the context without calling onDisconnect
            // (async.c only calls it for a connected context), leaving ac_ dangling.
            auto* ac = ac_;
            ac_ = nullptr;
            redisAsyncFree(ac);
        }
    });
}

//------------------------------------------------------------------------------ commands

void RedisClient::submit(Argv argv, Completion handler, net::any_io_executor handler_executor) {
    net::dispatch(executor_, [this, alive = std::weak_ptr<bool>(alive_), argv = std::move(argv),
                              handler = std::move(handler),
                              hex = std::move(handler_executor)]() mutable {
        if (!alive.lock()) {
            return;
        }
        Entry entry{next_id_++, std::move(argv), std::move(handler), std::move(hex),
                    std::chrono::steady_clock::now() + options_.config.command_timeout, false};
        stats_->commands.fetch_add(1, std::memory_order_relaxed);
        if (state_ == State::ready) {
            send(std::move(entry));
        } else if ((state_ == State::connecting || state_ == State::handshaking) &&
                   waiting_.size() < options_.max_waiting) {
            waiting_.push_back(std::move(entry));
            arm_deadline_timer();
        } else {
            complete(entry, errc::store_unavailable, {});
        }
    });
}

void RedisClient::submit_all(std::vector<Argv> commands, AllCompletion handler,
                             net::any_io_executor handler_executor) {
    // Each command completes on its own (posted to the handler's executor); the last one to
    // complete hands all outcomes over. `left` is atomic in case that executor has several threads.
    // The handler is moved in by a constructor, never assigned: Boost 1.81's move assignment of
    // any_completion_handler copies `other` as an lvalue into a new wrapper of itself, forever.
    struct Gather {
        Gather(std::size_t n, AllCompletion&& h) : outcomes(n), left(n), handler(std::move(h)) {}
        std::vector<Outcome> outcomes;
        std::atomic<std::size_t> left;
        AllCompletion handler;
    };
    auto const n = commands.size();
    if (n == 0) {
        net::post(handler_executor, [h = std::move(handler)]() mutable { std::move(h)(std::vector<Outcome>{}); });
        return;
    }
    auto gather = std::make_shared<Gather>(n, std::move(handler));
    for (std::size_t i = 0; i < n; ++i) {
        submit(std::move(commands[i]), Completion([gather, i](error_code ec, RedisReply reply) {
                   gather->outcomes[i] = Outcome{ec, std::move(reply)};
                   if (gather->left.fetch_sub(1, std::memory_order_acq_rel) == 1) {
                       std::move(gather->handler)(std::move(gather->outcomes));
                   }
               }),
               handler_executor);
    }
}

void RedisClient::send(Entry&& entry) {
    auto const command = resp_command(entry.argv);
    auto const id = entry.id;
    int const rc = redisAsyncFormattedCommand(
        ac_, &RedisClient::on_reply_tramp, reinterpret_cast<void*>(static_cast<std::uintptr_t>(id)),
        command.data(), command.size());
    if (rc != REDIS_OK) {
        // hiredis will never call back for this command (async.c __redisAsyncCommand).
        complete(entry, errc::store_unavailable, {});
        return;
    }
    entry.argv.clear();
    entry.argv.shrink_to_fit();
    pending_.push_back(std::move(entry));
    arm_deadline_timer();
}

void RedisClient::on_reply_tramp(redisAsyncContext* ac, void* reply, void* privdata) noexcept {
    try {
        auto* self = client_of(ac);
        if (self != nullptr) {
            self->on_reply(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata)),
                           static_cast<redisReply*>(reply));
        }
    } catch (std::exception const& e) {
        spdlog::error("redis: reply handling failed: {}", e.what());
    }
}

void RedisClient::on_reply(std::uint64_t id, redisReply* reply) {
    // Replies come in the order commands were sent, so the entry is at (or near) the front;
    // entries before it were answered already or failed by a disconnect.
    while (!pending_.empty() && pending_.front().id < id) {
        auto& stale = pending_.front();
        if (!stale.done) {
            complete(stale, errc::store_disconnected, {});
        }
        pending_.pop_front();
    }
    if (pending_.empty() || pending_.front().id != id) {
        return;  // failed or timed out earlier, and already forgotten
    }
    Entry& entry = pending_.front();
    if (reply != nullptr) {
        consecutive_timeouts_ = 0;
    }
    if (!entry.done) {
        if (reply == nullptr) {
            complete(entry, errc::store_disconnected, {});
        } else if (reply->type == REDIS_REPLY_ERROR) {
            complete(entry, errc::store_error, RedisReply::from_hiredis(reply));
        } else {
            complete(entry, {}, RedisReply::from_hiredis(reply));
        }
    }
    pending_.pop_front();
}

void RedisClient::complete(Entry& entry, error_code ec, RedisReply reply) {
    entry.done = true;
    count_error(ec);
    if (!entry.handler) {
        return;
    }
    // Never resume the caller inline: we may be inside redisProcessCallbacks.
    net::post(entry.handler_executor,
              [h = std::move(entry.handler), ec, r = std::move(reply)]() mutable {
                  std::move(h)(ec, std::move(r));
              });
}

void RedisClient::count_error(error_code ec) {
    if (!ec) {
        return;
    }
    if (ec == errc::store_error) {
        stats_->error_replies.fetch_add(1, std::memory_order_relaxed);
    } else if (ec == errc::store_timeout) {
        stats_->timeouts.fetch_add(1, std::memory_order_relaxed);
    } else if (ec == errc::store_disconnected) {
        stats_->disconnects.fetch_add(1, std::memory_order_relaxed);
    } else {
        stats_->unavailable.fetch_add(1, std::memory_order_relaxed);
    }
}

//------------------------------------------------------------------------------ timeouts

void RedisClient::arm_deadline_timer() {
    if (deadline_armed_) {
        return;
    }
    std::optional<std::chrono::steady_clock::time_point> next;
    for (auto const* queue : {&pending_, &waiting_}) {
        auto it = std::find_if(queue->begin(), queue->end(), [](Entry const& e) { return !e.done; });
        if (it != queue->end() && (!next || it->deadline < *next)) {
            next = it->deadline;
        }
    }
    if (!next) {
        return;
    }
    deadline_armed_ = true;
    deadline_timer_.expires_at(*next);
    deadline_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](error_code ec) {
        if (!alive.lock()) {
            return;
        }
        deadline_armed_ = false;
        if (!ec) {
            on_deadline();
        }
        arm_deadline_timer();
    });
}

void RedisClient::on_deadline() {
    auto const now = std::chrono::steady_clock::now();
    bool timed_out_sent = false;
    for (auto& entry : pending_) {
        if (!entry.done && entry.deadline <= now) {
            // The late reply, if it ever comes, finds the entry done and is dropped.
            complete(entry, errc::store_timeout, {});
            timed_out_sent = true;
        }
    }
    while (!waiting_.empty() && waiting_.front().deadline <= now) {
        complete(waiting_.front(), errc::store_timeout, {});
        waiting_.pop_front();
    }
    if (timed_out_sent && ++consecutive_timeouts_ >= kTimeoutsBeforeReconnect) {
        // A pipeline that stopped answering does not heal by itself.
        drop_connection("no answer to several commands in a row");
        schedule_reconnect();
    }
}

//------------------------------------------------------------------------------ connection

void RedisClient::connect() {
    state_ = State::connecting;
    auto const& address = options_.config.address;
    redisAsyncContext* ac = nullptr;
    if (address.starts_with("unix:")) {
        ac = redisAsyncConnectUnix(address.substr(5).c_str());
    } else {
        auto colon = address.rfind(':');
        int port = 0;
        std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
        // Config validation guarantees a numeric IP: redisAsyncConnect would block in
        // getaddrinfo on a host name.
        ac = redisAsyncConnect(address.substr(0, colon).c_str(), port);
    }
    if (ac == nullptr || ac->err != 0) {
        last_error_ = ac != nullptr ? ac->errstr : "out of memory";
        if (ac != nullptr) {
            redisAsyncFree(ac);  // never attached: hiredis leaves freeing to us here
        }
        state_ = State::disconnected;
        schedule_reconnect();
        return;
    }
    adapter_ = std::make_shared<HiredisAsio>(executor_, redis_on_this_machine(options_.config));
    ac->data = this;
    if (!adapter_->attach(ac)) {
        last_error_ = "cannot attach to the event loop";
        redisAsyncFree(ac);
        state_ = State::disconnected;
        schedule_reconnect();
        return;
    }
    ac_ = ac;
    // Only now: hiredis arms the write event inside these setters (async.c).
    redisAsyncSetConnectCallback(ac, &RedisClient::on_connect_tramp);
    redisAsyncSetDisconnectCallback(ac, &RedisClient::on_disconnect_tramp);

    connect_timer_.expires_after(options_.config.connect_timeout);
    connect_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_), ac](error_code ec) {
        if (ec || !alive.lock() || ac_ != ac || state_ != State::connecting) {
            return;
        }
        drop_connection("connect timed out");
        schedule_reconnect();
    });
}

void RedisClient::on_connect_tramp(redisAsyncContext const* ac, int status) noexcept {
    try {
        if (auto* self = client_of(ac)) {
            self->on_connect(status);
        }
    } catch (std::exception const& e) {
        spdlog::error("redis: connect handling failed: {}", e.what());
    }
}

void RedisClient::on_disconnect_tramp(redisAsyncContext const* ac, int status) noexcept {
    try {
        if (auto* self = client_of(ac)) {
            if (self->ac_ == ac) {
                self->on_disconnect(status);
            }
        }
    } catch (std::exception const& e) {
        spdlog::error("redis: disconnect handling failed: {}", e.what());
    }
}

void RedisClient::on_connect(int status) {
    connect_timer_.cancel();
    if (status != REDIS_OK) {
        // hiredis frees the context right after this callback; onDisconnect will not come.
        last_error_ = ac_ != nullptr && ac_->errstr[0] != '\0' ? ac_->errstr : "connect failed";
        ac_ = nullptr;
        if (state_ != State::closed) {
            state_ = State::disconnected;
            spdlog::warn("redis: connect to {} failed: {}", options_.config.address, last_error_);
            fail_all(errc::store_unavailable);
            schedule_reconnect();
        }
        return;
    }
    if (state_ == State::closed) {
        return;
    }
    begin_handshake();
}

void RedisClient::on_disconnect(int status) {
    ac_ = nullptr;
    fail_all(errc::store_disconnected);
    if (state_ == State::closed) {
        return;
    }
    state_ = State::disconnected;
    last_error_ = status == REDIS_OK ? "disconnected" : "connection lost";
    spdlog::warn("redis: {} ({})", last_error_, options_.config.address);
    schedule_reconnect();
}

void RedisClient::begin_handshake() {
    state_ = State::handshaking;
    last_error_ = "handshake in progress";
    std::vector<Argv> steps;
    if (!options_.config.password.empty()) {
        steps.push_back({"AUTH", options_.config.password});
    }
    if (options_.config.db != 0) {
        steps.push_back({"SELECT", std::to_string(options_.config.db)});
    }
    for (auto lib : options_.function_libraries) {
        steps.push_back({"FUNCTION", "LOAD", "REPLACE", std::string(lib)});
    }
    handshake_left_ = static_cast<int>(steps.size());
    if (steps.empty()) {
        become_ready();
        return;
    }
    auto* ac = ac_;
    for (auto& step : steps) {
        auto what = step[0] == "FUNCTION" ? std::string("FUNCTION LOAD") : step[0];
        send_internal(std::move(step), [this, ac, what](error_code ec, RedisReply const& reply) {
            if (ac_ != ac || state_ != State::handshaking) {
                return;
            }
            if (ec) {
                last_error_ = what + " failed: " + (reply.is_error() ? reply.str : ec.message());
                spdlog::error("redis: {}", last_error_);
                drop_connection(last_error_);
                schedule_reconnect();
                return;
            }
            if (--handshake_left_ == 0) {
                become_ready();
            }
        });
    }
}

void RedisClient::send_internal(Argv argv, std::function<void(error_code, RedisReply const&)> done) {
    // Built in place: Boost 1.81's any_completion_handler move-assignment wraps the handler in
    // itself and recurses forever (it passes `other` as an lvalue to its converting
    // constructor), so Entry is only ever move-constructed, never assigned.
    Completion handler(
        [done = std::move(done), alive = std::weak_ptr<bool>(alive_)](error_code ec, RedisReply r) {
            if (alive.lock()) {
                done(ec, r);
            }
        });
    send(Entry{next_id_++, std::move(argv), std::move(handler), executor_,
               std::chrono::steady_clock::now() + options_.config.command_timeout, false});
}

void RedisClient::become_ready() {
    state_ = State::ready;
    last_error_.clear();
    backoff_ = kFirstBackoff;
    consecutive_timeouts_ = 0;
    spdlog::info("redis: ready at {}", options_.config.address);
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto& entry : waiting) {
        if (!entry.done) {
            send(std::move(entry));
        }
    }
}

void RedisClient::drop_connection(std::string reason) {
    last_error_ = std::move(reason);
    if (state_ != State::closed) {
        state_ = State::disconnected;
    }
    auto* ac = ac_;
    ac_ = nullptr;  // our disconnect callback sees a stranger and stays out of it
    if (ac != nullptr) {
        redisAsyncFree(ac);
    }
    fail_all(errc::store_disconnected);
}

void RedisClient::fail_all(error_code ec) {
    for (auto& entry : pending_) {
        if (!entry.done) {
            complete(entry, ec, {});
        }
    }
    pending_.clear();
    if (state_ != State::connecting && state_ != State::handshaking) {
        for (auto& entry : waiting_) {
            complete(entry, errc::store_unavailable, {});
        }
        waiting_.clear();
    }
}

void RedisClient::schedule_reconnect() {
    if (state_ == State::closed) {
        return;
    }
    // Commands that were waiting for this connection attempt get a clear answer now, rather
    // than at their deadline: Redis is down and the caller should say so.
    for (auto& entry : waiting_) {
        complete(entry, errc::store_unavailable, {});
    }
    waiting_.clear();
    stats_->reconnects.fetch_add(1, std::memory_order_relaxed);
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, options_.config.reconnect_max_backoff);
    reconnect_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](error_code ec) {
        if (!ec && alive.lock() && state_ == State::disconnected) {
            connect();
        }
    });
}

}  // namespace bense::server

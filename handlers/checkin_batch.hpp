// Members' own check-ins of one worker, sent to Redis together. At the start of a Party day
// hundreds of members tap within a minute; most of a check-in's cost inside Redis is the
// reading that every tap at one activity shares (the activity, its type's rule, the branch's
// totals). A tap that finds fewer than `max_in_flight` calls in Redis goes at once: batching
// never makes a member wait for nothing. Taps that arrive while that many are in Redis wait
// for one to come back and then go together, in one call (bense_activity_checkin_sessions),
// each answered as it would be alone. One in flight (the default) measured better than two:
// the batches are twice as large, and Redis spends less per tap.
#pragma once

#include "handlers/activity_store.hpp"
#include "server/metrics.hpp"
#include "server/net.hpp"
#include "server/redis_client.hpp"

#include <boost/asio/any_completion_handler.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace bense::server {
class Worker;
}

namespace bense::handlers {

class CheckinBatcher : public std::enable_shared_from_this<CheckinBatcher> {
public:
    using Answer = result<CheckinResult, StoreError>;

    // `redis` is the worker's own client; `max_taps` bounds one call, so that Redis serves
    // the worker's other commands between batches.
    // `metrics` (optional) counts the calls and their taps for /metrics.
    explicit CheckinBatcher(server::RedisClient& redis, std::size_t max_taps = 64, std::size_t max_in_flight = 1,
                            server::MetricsShard* metrics = nullptr);

    // store_checkin() for a call with a session_hash, sent with whatever taps are waiting.
    net::awaitable<Answer> check_in(CheckinCall call);

    // Calls sent and the taps they carried, since the start (a mean above 1 is batching).
    std::uint64_t calls() const { return calls_; }
    std::uint64_t taps() const { return taps_; }

private:
    struct Waiting {
        CheckinCall call;
        net::any_completion_handler<void(Answer)> handler;
    };

    void send_next();
    // Static, with its owner: the batcher lives as long as a call of its is in Redis.
    static net::awaitable<void> send(std::shared_ptr<CheckinBatcher> self, std::vector<Waiting> batch);

    server::RedisClient& redis_;
    server::MetricsShard* metrics_;
    std::size_t max_taps_;
    std::size_t max_in_flight_;
    std::deque<Waiting> waiting_;
    std::size_t in_flight_ = 0;
    std::uint64_t calls_ = 0;
    std::uint64_t taps_ = 0;
};

// For Runtime::worker_setup: gives each worker its batcher, counted in the worker's metrics.
void attach_checkin_batcher(server::Worker& worker);

}  // namespace bense::handlers

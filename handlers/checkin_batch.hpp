// Members' own check-ins of one worker, sent to Redis together (call_batch.hpp). At the start of
// a Party day hundreds of members tap within a minute; most of a check-in's cost inside Redis is
// the reading that every tap at one activity shares (the activity, its type's rule, the branch's
// totals). Taps that wait for a batch in Redis go together in the next call
// (bense_activity_checkin_sessions), each answered as it would be alone.
#pragma once

#include "handlers/activity_store.hpp"
#include "handlers/call_batch.hpp"

namespace bense::server {
class Worker;
}

namespace bense::handlers {

using CheckinAnswer = result<CheckinResult, StoreError>;

class CheckinBatcher : public CallBatcher<CheckinCall, CheckinAnswer> {
public:
    using Answer = CheckinAnswer;

    // `redis` is the worker's own client; `max_taps` bounds one call. `metrics` (optional)
    // counts the calls and their taps for /metrics.
    explicit CheckinBatcher(server::RedisClient& redis, std::size_t max_taps = 64, std::size_t max_in_flight = 1,
                            server::MetricsShard* metrics = nullptr);

    // store_checkin() for a call with a session_hash, sent with whatever taps are waiting; `c`
    // is read until the answer comes, so await it at once.
    net::awaitable<Answer> check_in(CheckinCall const& c) { return call(c); }
};

// For Runtime::worker_setup: gives each worker its batcher, counted in the worker's metrics.
void attach_checkin_batcher(server::Worker& worker);

}  // namespace bense::handlers

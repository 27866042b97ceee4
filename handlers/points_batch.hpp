// Awards of one worker sent to the ledger together (call_batch.hpp): a vote closing, a
// lecture's readers, a secretary's list of names come as bursts, and a burst's awards share the
// function call's own cost and their branch's totals, written once a batch
// (bense_points_award_many). Each award is answered as it would be alone.
#pragma once

#include "handlers/call_batch.hpp"
#include "handlers/points_ledger.hpp"

namespace bense::server {
class Worker;
}

namespace bense::handlers {

class AwardBatcher : public CallBatcher<AwardCall, AwardAnswer> {
public:
    // `redis` is the worker's own client; `max_awards` bounds one call. `metrics` (optional)
    // counts the calls and their awards for /metrics.
    explicit AwardBatcher(server::RedisClient& redis, std::size_t max_awards = 64, std::size_t max_in_flight = 1,
                          server::MetricsShard* metrics = nullptr);

    // `c` is read until the answer comes, so await it at once.
    net::awaitable<AwardAnswer> award(AwardCall const& c) { return call(c); }
};

// For Runtime::worker_setup: gives each worker its batcher, counted in the worker's metrics.
void attach_award_batcher(server::Worker& worker);

}  // namespace bense::handlers

// See points_batch.hpp.
#include "handlers/points_batch.hpp"

#include "server/http_server.hpp"
#include "server/worker.hpp"

namespace bense::handlers {

AwardBatcher::AwardBatcher(server::RedisClient& redis, std::size_t max_awards, std::size_t max_in_flight,
                           server::MetricsShard* metrics)
    : CallBatcher(redis, &store_awards, {},
                  Options{max_awards, max_in_flight, metrics, "bense_award_calls_total", "bense_awards_total"}) {}

void attach_award_batcher(server::Worker& worker) {
    auto& metrics = worker.server().metrics();
    metrics.describe("bense_award_calls_total", "counter", "Calls to Redis that carried awards to the points ledger.");
    metrics.describe("bense_awards_total", "counter",
                     "Awards sent to the points ledger (more than the calls: awards went together).");
    worker.set_service(std::make_shared<AwardBatcher>(worker.redis(), 64, 1, &worker.metrics()));
}

}  // namespace bense::handlers

// See checkin_batch.hpp.
#include "handlers/checkin_batch.hpp"

#include "server/http_server.hpp"
#include "server/worker.hpp"

namespace bense::handlers {

CheckinBatcher::CheckinBatcher(server::RedisClient& redis, std::size_t max_taps, std::size_t max_in_flight,
                               server::MetricsShard* metrics)
    : CallBatcher(redis, &store_checkins, &same_batch,
                  Options{max_taps, max_in_flight, metrics, "bense_checkin_calls_total", "bense_checkin_taps_total"}) {}

void attach_checkin_batcher(server::Worker& worker) {
    auto& metrics = worker.server().metrics();
    metrics.describe("bense_checkin_calls_total", "counter", "Calls to Redis that carried members' own check-ins.");
    metrics.describe("bense_checkin_taps_total", "counter",
                     "Members' own check-ins sent to Redis (more than the calls: taps went together).");
    worker.set_service(std::make_shared<CheckinBatcher>(worker.redis(), 64, 1, &worker.metrics()));
}

}  // namespace bense::handlers

// See checkin_batch.hpp.
#include "handlers/checkin_batch.hpp"

#include "server/http_server.hpp"
#include "server/worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace bense::handlers {

CheckinBatcher::CheckinBatcher(server::RedisClient& redis, std::size_t max_taps, std::size_t max_in_flight,
                               server::MetricsShard* metrics)
    : redis_(redis),
      metrics_(metrics),
      max_taps_(std::max<std::size_t>(max_taps, 1)),
      max_in_flight_(std::max<std::size_t>(max_in_flight, 1)) {}

net::awaitable<CheckinBatcher::Answer> CheckinBatcher::check_in(CheckinCall call) {
    auto initiate = [this](net::any_completion_handler<void(Answer)> handler, CheckinCall c) {
        waiting_.push_back(Waiting{std::move(c), std::move(handler)});
        send_next();
    };
    co_return co_await net::async_initiate<decltype(net::use_awaitable), void(Answer)>(
        std::move(initiate), net::use_awaitable, std::move(call));
}

void CheckinBatcher::send_next() {
    if (waiting_.empty() || in_flight_ >= max_in_flight_) {
        return;
    }
    // The taps at the front that share what a batch sends once; the others go next time.
    std::vector<Waiting> batch;
    batch.reserve(std::min(waiting_.size(), max_taps_));
    while (!waiting_.empty() && batch.size() < max_taps_ &&
           (batch.empty() || same_batch(waiting_.front().call, batch.front().call))) {
        batch.push_back(std::move(waiting_.front()));  // moved into place, never assigned
        waiting_.pop_front();
    }
    ++in_flight_;
    ++calls_;
    taps_ += batch.size();
    if (metrics_ != nullptr) {
        metrics_->add("bense_checkin_calls_total");
        metrics_->add("bense_checkin_taps_total", static_cast<double>(batch.size()));
    }
    net::co_spawn(redis_.executor(), send(shared_from_this(), std::move(batch)), net::detached);
}

net::awaitable<void> CheckinBatcher::send(std::shared_ptr<CheckinBatcher> self, std::vector<Waiting> batch) {
    std::vector<CheckinCall const*> calls;
    calls.reserve(batch.size());
    for (auto const& w : batch) {
        calls.push_back(&w.call);
    }
    auto answers = co_await store_checkins(self->redis_, calls);
    // The next batch goes to Redis before these taps' answers are written out.
    --self->in_flight_;
    self->send_next();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        std::move(batch[i].handler)(std::move(answers[i]));
    }
}

void attach_checkin_batcher(server::Worker& worker) {
    auto& metrics = worker.server().metrics();
    metrics.describe("bense_checkin_calls_total", "counter", "Calls to Redis that carried members' own check-ins.");
    metrics.describe("bense_checkin_taps_total", "counter",
                     "Members' own check-ins sent to Redis (more than the calls: taps went together).");
    worker.set_service(std::make_shared<CheckinBatcher>(worker.redis(), 64, 1, &worker.metrics()));
}

}  // namespace bense::handlers

// Calls of one worker to one Redis function, sent together when Redis is busy. Hundreds of
// members tap in, or vote, within a minute; much of what such a call costs inside Redis is what
// the calls of a moment share (a function call's own cost, the rule, the branch's totals). A
// call that finds fewer than `max_in_flight` batches in Redis goes at once: batching never makes
// anyone wait for nothing. Calls that arrive while that many are in Redis wait for one to come
// back and then go together, each answered as it would be alone. One in flight (the default)
// measured better than two: the batches are twice as large, and Redis spends less per call.
#pragma once

#include "server/metrics.hpp"
#include "server/net.hpp"
#include "server/redis_client.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace bense::handlers {

template <class Call, class Answer>
class CallBatcher : public std::enable_shared_from_this<CallBatcher<Call, Answer>> {
public:
    // Sends the calls in one go and answers each, in order, as it would be answered alone.
    using Store = std::function<net::awaitable<std::vector<Answer>>(server::RedisClient&,
                                                                   std::vector<Call const*> const&)>;
    // Whether a call may go in the batch that `first` opened (what the batch sends once is the
    // same for both); empty: any may.
    using Together = std::function<bool(Call const& first, Call const& next)>;

    struct Options {
        std::size_t max_calls = 64;  // a bound on one batch, so that Redis serves the worker's other commands
        std::size_t max_in_flight = 1;
        server::MetricsShard* metrics = nullptr;  // counts batches and their calls for /metrics
        std::string batches_metric;
        std::string calls_metric;
    };

    CallBatcher(server::RedisClient& redis, Store store, Together together, Options options)
        : redis_(redis), store_(std::move(store)), together_(std::move(together)), options_(std::move(options)) {
        options_.max_calls = std::max<std::size_t>(options_.max_calls, 1);
        options_.max_in_flight = std::max<std::size_t>(options_.max_in_flight, 1);
    }

    // The call's answer, sent with whatever calls are waiting. The call is read where it is,
    // in the caller's frame, until its answer comes (co_await the result at once): a copy
    // through the queue and the batch was several moves of a call's strings per request.
    net::awaitable<Answer> call(Call const& c) {
        auto initiate = [this](net::any_completion_handler<void(Answer)> handler, Call const* c) {
            waiting_.push_back(Waiting{c, std::move(handler)});
            send_next();
        };
        co_return co_await net::async_initiate<decltype(net::use_awaitable), void(Answer)>(
            std::move(initiate), net::use_awaitable, &c);
    }

    // Batches sent and the calls they carried, since the start (a mean above 1 is batching).
    std::uint64_t batches() const { return batches_; }
    std::uint64_t calls() const { return calls_; }

private:
    struct Waiting {
        Call const* call;  // the caller's, alive while the caller awaits its answer
        net::any_completion_handler<void(Answer)> handler;
    };

    // Whether a batch went out.
    bool send_next() {
        if (waiting_.empty() || in_flight_ >= options_.max_in_flight) {
            return false;
        }
        // The calls at the front that go with the first; the others go next time.
        std::vector<Waiting> batch;
        batch.reserve(std::min(waiting_.size(), options_.max_calls));
        while (!waiting_.empty() && batch.size() < options_.max_calls &&
               (batch.empty() || !together_ || together_(*batch.front().call, *waiting_.front().call))) {
            batch.push_back(std::move(waiting_.front()));  // moved into place: any_completion_handler is never assigned
            waiting_.pop_front();
        }
        ++in_flight_;
        ++batches_;
        calls_ += batch.size();
        if (options_.metrics != nullptr) {
            options_.metrics->add(options_.batches_metric);
            options_.metrics->add(options_.calls_metric, static_cast<double>(batch.size()));
        }
        net::co_spawn(redis_.executor(), send(this->shared_from_this(), std::move(batch)), net::detached);
        return true;
    }

    // Static, with its owner: the batcher lives as long as a batch of its is in Redis.
    static net::awaitable<void> send(std::shared_ptr<CallBatcher> self, std::vector<Waiting> batch) {
        std::vector<Call const*> calls;
        calls.reserve(batch.size());
        for (auto const& w : batch) {
            calls.push_back(w.call);
        }
        auto answers = co_await self->store_(self->redis_, calls);
        // The next batch goes to Redis before these answers are written out: send_next() queues
        // its write, and this coroutine goes on only after the write has run, so that Redis works
        // on the next batch while these callers get their answers. With none to send, no wait.
        --self->in_flight_;
        if (self->send_next()) {
            co_await net::post(self->redis_.executor(), net::use_awaitable);
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            std::move(batch[i].handler)(std::move(answers[i]));
        }
    }

    server::RedisClient& redis_;
    Store store_;
    Together together_;
    Options options_;
    std::deque<Waiting> waiting_;
    std::size_t in_flight_ = 0;
    std::uint64_t batches_ = 0;
    std::uint64_t calls_ = 0;
};

}  // namespace bense::handlers

// Sends the replies the gateway could not give within WeChat's 5 seconds: reads the stream
// kLateRepliesKey through a Redis consumer group (so every instance and worker shares the
// work and each reply is taken once) and sends each as a customer-service message.
#pragma once

#include "server/redis_client.hpp"
#include "server/worker.hpp"
#include "wechat/api_client.hpp"

#include <functional>
#include <string>

namespace bense::wechat {

struct LateReplySenderOptions {
    std::string consumer;  // unique per worker and instance, e.g. "host:pid:worker"
    std::chrono::milliseconds poll{500};
    int batch = 16;
};

// Runs until `stopping()` is true. `oa` and `mp` may be null (that endpoint is not
// configured: its replies are logged and dropped). Never blocks the shared connection: it
// polls with a non-blocking XREADGROUP.
net::awaitable<void> run_late_reply_sender(server::RedisClient& redis, ApiClient* oa, ApiClient* mp,
                                           LateReplySenderOptions options, std::function<bool()> stopping);

// Sends what is waiting now, once; returns how many entries were taken (for tests).
net::awaitable<int> send_late_replies_once(server::RedisClient& redis, ApiClient* oa, ApiClient* mp,
                                           LateReplySenderOptions const& options);

// For Runtime::worker_setup, after the API set-up: starts a sender on each worker, which ends
// when the worker shuts down.
void start_late_reply_sender(server::Worker& worker);

}  // namespace bense::wechat

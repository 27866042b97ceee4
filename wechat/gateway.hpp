// The WeChat callback gateway: GET URL verification and POST pushes at /wechat/oa and
// /wechat/mp. Checks, decrypts and deduplicates each callback, hands the message to the
// domain's handler under WeChat's 5-second rule, and answers (encrypted when asked).
// Knows nothing of what the handler does; handlers/ supplies it.
#pragma once

#include "server/clock.hpp"
#include "server/router.hpp"
#include "wechat/gateway_config.hpp"
#include "wechat/message.hpp"
#include "wechat/reply.hpp"

#include <cstddef>
#include <functional>
#include <memory>

namespace bense::server {
class Worker;
}

namespace bense::wechat {

// The domain's answer to one message. Runs on the worker's thread and may outlive the HTTP
// request (when it misses the deadline), so it is given the worker, not the request. A
// Reply::none() answers "success".
using MessageHandler = std::function<net::awaitable<Reply>(Message const&, server::Worker&)>;

struct GatewayOptions {
    GatewayConfig config;
    MessageHandler handler;
    std::shared_ptr<server::Clock const> clock;  // null: the system clock
};

// Callbacks are small; anything bigger is refused with 413 before it is read.
inline constexpr std::size_t kCallbackBodyLimit = 64 * 1024;

// Adds GET and POST routes for each endpoint present in the config.
void add_gateway_routes(server::Router& router, GatewayOptions options);

}  // namespace bense::wechat

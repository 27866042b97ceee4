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
#include <optional>
#include <string>

namespace bense::server {
class Worker;
}

namespace bense::wechat {

// The sender's state that the gateway read for the handler in the same Redis call as its claim
// (see GatewayOptions::user_state_key). `read` is false when it was not asked for.
struct UserState {
    bool read = false;
    std::optional<std::string> value;  // nullopt: the key holds nothing
};

// The domain's answer to one message. Runs on the worker's thread and may outlive the HTTP
// request (when it misses the deadline), so it is given the worker, not the request. A
// Reply::none() answers "success".
using MessageHandler = std::function<net::awaitable<Reply>(Message const&, server::Worker&, UserState)>;

// For a message, the key of the sender's state that the handler will read, or "" for none.
// It must start with user_key_prefix(message.from_user) (callback_store.hpp); a key that does
// not is not read (and logged), and the handler reads it itself.
using UserStateKey = std::function<std::string(Message const&)>;

struct GatewayOptions {
    GatewayConfig config;
    MessageHandler handler;
    std::shared_ptr<server::Clock const> clock;  // null: the system clock
    UserStateKey user_state_key;                 // null: no state is read for the handler
};

// Callbacks are small; anything bigger is refused with 413 before it is read.
inline constexpr std::size_t kCallbackBodyLimit = 64 * 1024;

// Adds GET and POST routes for each endpoint present in the config.
void add_gateway_routes(server::Router& router, GatewayOptions options);

}  // namespace bense::wechat

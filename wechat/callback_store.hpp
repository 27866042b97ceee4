// Where WeChat's retries meet: per callback, a claim, its state and the stored reply, in
// Redis (so several server instances share them): claim, finish and peek native commands,
// give-up the bense_wechat function of callback_store.lua. Also the queue of replies that
// missed the 5-second window.
#pragma once

#include "server/net.hpp"
#include "server/redis_client.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bense::wechat {

enum class CallbackState { claimed, running, late, done, sent_later, gone };

struct StoredCallback {
    CallbackState state = CallbackState::gone;
    std::string reply;  // the plain reply XML, when state is done
    // With claim(key, state_key) and state claimed: the value under state_key (nullopt when
    // it has none).
    std::optional<std::string> user_state;
};

// "bense:{user:<openid>}:": the hash tag of everything kept per WeChat user. A callback is
// stored under its sender's tag, so that the handler's own per-user keys (under the same
// prefix) can be read in the claim's Redis call and stay in one slot of a cluster.
std::string user_key_prefix(std::string_view openid);

// The stream of replies to send later as customer-service messages.
inline constexpr std::string_view kLateRepliesKey = "bense:{wx}:late_replies";

class CallbackStore {
public:
    CallbackStore(server::RedisClient& redis, std::chrono::milliseconds ttl) : redis_(redis), ttl_(ttl) {}

    // bense:{user:<openid>}:cb:<endpoint>:<dedupe key>
    static std::string key(std::string_view openid, std::string_view endpoint, std::string_view dedupe_key);
    // <key>:late, set when a waiter gave up before the handler finished (callback_store.lua).
    static std::string late_mark_key(std::string_view key);

    // Claims the callback for this delivery (state claimed), or returns what a previous
    // delivery left. A non-empty `state_key` (under the same user_key_prefix) is read too,
    // for the first delivery only.
    net::awaitable<result<StoredCallback>> claim(std::string const& key, std::string const& state_key = {});
    // Reads the state without changing it (retries poll this).
    net::awaitable<result<StoredCallback>> peek(std::string const& key);
    // Stores the reply; true when a waiter had already given up, so the caller must queue it.
    net::awaitable<result<bool>> finish(std::string const& key, std::string const& reply_xml);
    // A waiter's deadline passed: the stored reply if it came in time (state done), else the
    // callback is marked late and the state returned.
    net::awaitable<result<StoredCallback>> give_up(std::string const& key);
    // Appends a reply to kLateRepliesKey (capped at about 100 000 entries).
    net::awaitable<result<void>> queue_late(std::string_view endpoint, std::string_view openid,
                                            std::string const& key, std::string const& reply_xml);

private:
    server::RedisClient& redis_;
    std::chrono::milliseconds ttl_;
};

// The embedded Lua library (bense_wechat).
std::string_view callback_redis_library();

}  // namespace bense::wechat

// The access token of one app id, shared by every server instance through Redis. One
// instance at a time refreshes it, under a Redis lock, while the others wait for the new
// value instead of asking WeChat themselves: concurrent refreshes would invalidate each
// other's tokens (40001 storms) and burn the daily quota.
#pragma once

#include "server/https_client.hpp"
#include "server/redis_client.hpp"
#include "wechat/api_error.hpp"

#include <chrono>
#include <string>

namespace bense::wechat {

struct AppCredentials {
    std::string appid;
    std::string secret;
};

enum class TokenSource { stable, classic };  // /cgi-bin/stable_token or /cgi-bin/token

class AccessTokenManager {
public:
    AccessTokenManager(AppCredentials credentials, TokenSource source, server::RedisClient& redis,
                       server::HttpsClient& https);

    // The current token: from the shared cache, else fetched by exactly one instance.
    net::awaitable<result<std::string, ApiError>> token();
    // After a token error from a business API: drop `failing` from the cache, but only if the
    // cache still holds it (another instance may already have put a fresh one there).
    net::awaitable<void> invalidate(std::string const& failing);

    std::string cache_key() const;

private:
    net::awaitable<result<std::string, ApiError>> fetch_and_store(std::string const& lock_key,
                                                                  std::string const& lock_value);
    net::awaitable<void> release(std::string const& lock_key, std::string const& lock_value);

    AppCredentials credentials_;
    TokenSource source_;
    server::RedisClient& redis_;
    server::HttpsClient& https_;
};

// The embedded Lua library with bense_del_if_equal.
std::string_view token_redis_library();

}  // namespace bense::wechat

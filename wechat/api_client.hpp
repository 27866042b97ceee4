// WeChat API calls for one app id, each a typed function returning a value or an ApiError.
// The retry policy lives here and only here: -1 (busy) and transport failures are retried
// with backoff, at most kMaxAttempts; a token error refreshes the token once and retries once;
// 45009 (daily quota) and every parameter error are final. A request that may have arrived
// (sent, then no answer) is recorded as unknown in Redis, never sent again.
#pragma once

#include "server/https_client.hpp"
#include "server/redis_client.hpp"
#include "wechat/access_token.hpp"
#include "wechat/api_error.hpp"

#include <optional>
#include <string>

namespace bense::wechat {

struct LoginSession {
    std::string openid;
    std::optional<std::string> unionid;
    std::string session_key;  // a server secret: never leaves the server
};

class ApiClient {
public:
    static constexpr int kMaxAttempts = 3;

    ApiClient(AppCredentials credentials, server::HttpsClient& https, AccessTokenManager& tokens,
              server::RedisClient& redis);

    // wx.login code -> openid (one-time code: 40029 invalid, 40163 used).
    net::awaitable<result<LoginSession, ApiError>> jscode2session(std::string const& code);
    // Customer-service text message (allowed within 48 h of the user's last action).
    net::awaitable<result<void, ApiError>> send_custom_text(std::string const& openid,
                                                            std::string const& content);
    // POST `body` to `path` with the access token; the answer's body when errcode is 0.
    net::awaitable<result<std::string, ApiError>> post(std::string const& path, std::string body);

    // Where requests with an unknown outcome are recorded (a Redis stream).
    static constexpr std::string_view kUnknownStream = "bense:{wx}:unknown_sends";

private:
    net::awaitable<void> record_unknown(std::string const& path, std::string const& body,
                                        std::string const& detail);
    net::awaitable<void> backoff(int attempt);

    AppCredentials credentials_;
    server::HttpsClient& https_;
    AccessTokenManager& tokens_;
    server::RedisClient& redis_;
};

// WeChat's answer as (errcode, errmsg); a body without errcode counts as 0 (success).
std::pair<int, std::string> read_errcode(std::string_view body);
// The `rid: …` WeChat appends to errmsg, for support requests; "" when absent.
std::string rid_of(std::string_view errmsg);

}  // namespace bense::wechat

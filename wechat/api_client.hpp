// WeChat API calls for one app id, each a typed function returning a value or an ApiError.
// The retry policy lives here and only here: -1 (busy) and transport failures are retried
// with backoff, at most kMaxAttempts; a token error refreshes the token once and retries once;
// 45009 (daily quota) and every parameter error are final. A request that may have arrived
// (sent, then no answer) is recorded as unknown in Redis, never sent again.
#pragma once

#include "server/https_client.hpp"
#include "server/metrics.hpp"
#include "server/redis_client.hpp"
#include "wechat/access_token.hpp"
#include "wechat/api_error.hpp"
#include "wechat/subscribe_fields.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bense::wechat {

// An official-account template message (订阅通知's older sibling); see protocol notes 5.2.
struct TemplateMessage {
    std::string touser;
    std::string template_id;
    std::vector<std::pair<std::string, std::string>> data;  // key -> value
    std::string url;                 // fallback jump for old clients; may be empty
    std::string miniprogram_appid;   // with pagepath: opens the mini-program
    std::string miniprogram_pagepath;
    std::string client_msg_id;       // deterministic per reminder: WeChat drops duplicates
};

// A mini-program subscribe message; every data field is checked before sending.
struct SubscribeMessage {
    std::string touser;
    std::string template_id;
    std::vector<SubscribeField> data;
    std::string page;                     // must exist in the released version, or empty
    std::string miniprogram_state = "formal";
    std::vector<std::string> enum_values;  // allowed values for enum fields
};

enum class ContentVerdict { pass, review, risky };

struct LoginSession {
    std::string openid;
    std::optional<std::string> unionid;
    std::string session_key;  // a server secret: never leaves the server
};

class ApiClient {
public:
    static constexpr int kMaxAttempts = 3;

    // `metrics` (may be null) counts WeChat's error answers by path and errcode.
    ApiClient(AppCredentials credentials, server::HttpsClient& https, AccessTokenManager& tokens,
              server::RedisClient& redis, server::MetricsShard* metrics = nullptr);

    // wx.login code -> openid (one-time code: 40029 invalid, 40163 used).
    net::awaitable<result<LoginSession, ApiError>> jscode2session(std::string const& code);
    // Customer-service text message (allowed within 48 h of the user's last action).
    net::awaitable<result<void, ApiError>> send_custom_text(std::string const& openid,
                                                            std::string const& content);
    // Customer-service news (one article) and mini-program card messages.
    net::awaitable<result<void, ApiError>> send_custom_news(std::string const& openid, std::string const& title,
                                                            std::string const& description,
                                                            std::string const& url, std::string const& picurl);
    net::awaitable<result<void, ApiError>> send_custom_miniprogram_page(std::string const& openid,
                                                                        std::string const& title,
                                                                        std::string const& appid,
                                                                        std::string const& pagepath,
                                                                        std::string const& thumb_media_id);
    // The phone number behind a mini-program phone-button code.
    net::awaitable<result<std::string, ApiError>> phone_number(std::string const& code);
    // Returns WeChat's msgid, kept as text (it exceeds 2^53).
    net::awaitable<result<std::string, ApiError>> send_template(TemplateMessage const& message);
    // Refuses (errcode 47003, nothing sent) when a field breaks its type's rules.
    net::awaitable<result<std::string, ApiError>> send_subscribe(SubscribeMessage const& message);
    // A mini-program code image (PNG bytes) for `scene` (at most 32 characters).
    net::awaitable<result<std::string, ApiError>> wxacode_unlimited(std::string const& scene,
                                                                    std::string const& page);
    // Content-security check v2; decide on the verdict, not on errcode.
    net::awaitable<result<ContentVerdict, ApiError>> check_text(std::string const& openid,
                                                               std::string const& content);
    // Replaces the official account's menu with `menu_json` (the API's own body format).
    net::awaitable<result<void, ApiError>> create_menu(std::string menu_json);

    // POST `body` to `path` with the access token; the answer's body when errcode is 0. With
    // `image_ok`, an image answer is a success too (getwxacodeunlimit).
    net::awaitable<result<std::string, ApiError>> post(std::string const& path, std::string body,
                                                       bool image_ok = false);

    // Where requests with an unknown outcome are recorded (a Redis stream).
    static constexpr std::string_view kUnknownStream = "bense:{wx}:unknown_sends";

private:
    // post() for calls whose answer carries nothing but errcode.
    net::awaitable<result<void, ApiError>> post_void(std::string const& path, std::string body);
    net::awaitable<void> record_unknown(std::string const& path, std::string const& body,
                                        std::string const& detail);
    net::awaitable<void> backoff(int attempt);

    AppCredentials credentials_;
    server::HttpsClient& https_;
    AccessTokenManager& tokens_;
    server::RedisClient& redis_;
    server::MetricsShard* metrics_;
};

// WeChat's answer as (errcode, errmsg); a body without errcode counts as 0 (success).
std::pair<int, std::string> read_errcode(std::string_view body);
// The `rid: …` WeChat appends to errmsg, for support requests; "" when absent.
std::string rid_of(std::string_view errmsg);

}  // namespace bense::wechat

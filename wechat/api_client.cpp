// The WeChat API client and its retry policy.
#include "wechat/api_client.hpp"

#include "server/errors.hpp"
#include "server/json.hpp"
#include "server/url.hpp"

#include <spdlog/spdlog.h>

namespace bense::wechat {

std::pair<int, std::string> read_errcode(std::string_view body) {
    auto doc = server::parse_json(body);
    if (!doc || !doc->IsObject()) {
        return {-1, "answer is not JSON"};
    }
    int errcode = 0;
    if (doc->HasMember("errcode") && (*doc)["errcode"].IsInt()) {
        errcode = (*doc)["errcode"].GetInt();
    }
    std::string errmsg = doc->HasMember("errmsg") && (*doc)["errmsg"].IsString() ? (*doc)["errmsg"].GetString() : "";
    return {errcode, errmsg};
}

std::string rid_of(std::string_view errmsg) {
    auto pos = errmsg.find("rid:");
    if (pos == std::string_view::npos) {
        return {};
    }
    auto rid = errmsg.substr(pos + 4);
    while (!rid.empty() && rid.front() == ' ') {
        rid.remove_prefix(1);
    }
    return std::string(rid.substr(0, rid.find_first_of(" ,;")));
}

ApiClient::ApiClient(AppCredentials credentials, server::HttpsClient& https, AccessTokenManager& tokens,
                     server::RedisClient& redis, server::MetricsShard* metrics)
    : credentials_(std::move(credentials)), https_(https), tokens_(tokens), redis_(redis), metrics_(metrics) {}

net::awaitable<void> ApiClient::backoff(int attempt) {
    net::steady_timer t(redis_.executor(), std::chrono::milliseconds(200 << attempt));
    co_await t.async_wait(use_tuple);
}

net::awaitable<void> ApiClient::record_unknown(std::string const& path, std::string const& body,
                                               std::string const& detail) {
    spdlog::warn("wechat: {} may or may not have been delivered ({}); recorded, not resent", path, detail);
    server::RedisClient::Argv xadd{"XADD", std::string(kUnknownStream), "MAXLEN", "~", "100000", "*",
                                   "appid", credentials_.appid, "path", path, "body", body, "detail", detail};
    auto [ec, reply] = co_await redis_.exec(std::move(xadd));
    if (ec) {
        spdlog::error("wechat: could not record the unknown outcome of {}: {}", path, ec.message());
    }
}

net::awaitable<result<std::string, ApiError>> ApiClient::post(std::string const& path, std::string body,
                                                              bool image_ok) {
    bool token_refreshed = false;
    for (int attempt = 0;; ++attempt) {
        auto token = co_await tokens_.token();
        if (!token) {
            co_return token.error();
        }
        auto res = co_await https_.request(http::verb::post, path + "?access_token=" + *token, body);
        if (res.ec) {
            if (res.maybe_delivered) {
                co_await record_unknown(path, body, res.detail);
                co_return ApiError{0, res.detail, res.ec, true};
            }
            if (attempt + 1 < kMaxAttempts) {
                co_await backoff(attempt);
                continue;
            }
            co_return ApiError{0, res.detail, res.ec, false};
        }
        if (image_ok && res.response.content_type.starts_with("image/")) {
            co_return std::move(res.response.body);
        }
        auto [errcode, errmsg] = read_errcode(res.response.body);
        if (errcode == 0) {
            co_return std::move(res.response.body);
        }
        spdlog::warn("wechat: {} answered {} (rid {})", path, errcode, rid_of(errmsg));
        if (metrics_ != nullptr) {
            // 45009 shows here as errcode="45009": the daily quota is gone, alert on it.
            metrics_->add(server::metric_series("bense_wechat_api_errors_total",
                                                {{"path", path}, {"errcode", std::to_string(errcode)}}));
        }
        if (is_token_error(errcode) && !token_refreshed) {
            token_refreshed = true;
            co_await tokens_.invalidate(*token);
            --attempt;  // a token refresh is not one of the busy retries
            continue;
        }
        if (errcode == -1 && attempt + 1 < kMaxAttempts) {
            co_await backoff(attempt);
            continue;
        }
        if (errcode == 45009) {
            spdlog::critical("wechat: DAILY QUOTA for {} is used up (45009): not retrying", path);
        }
        co_return ApiError{errcode, errmsg, {}, false};
    }
}

net::awaitable<result<LoginSession, ApiError>> ApiClient::jscode2session(std::string const& code) {
    auto const target = fmt::format("/sns/jscode2session?appid={}&secret={}&js_code={}&grant_type=authorization_code",
                                    credentials_.appid, credentials_.secret, code);
    for (int attempt = 0;; ++attempt) {
        auto res = co_await https_.request(http::verb::get, target);
        if (res.ec) {
            // A login code is one-time: a request that may have arrived cannot be repeated.
            if (!res.maybe_delivered && attempt + 1 < kMaxAttempts) {
                co_await backoff(attempt);
                continue;
            }
            co_return ApiError{0, res.detail, res.ec, res.maybe_delivered};
        }
        auto [errcode, errmsg] = read_errcode(res.response.body);
        if (errcode == -1 && attempt + 1 < kMaxAttempts) {
            co_await backoff(attempt);
            continue;
        }
        if (errcode != 0) {
            spdlog::info("wechat: jscode2session answered {} (rid {})", errcode, rid_of(errmsg));
            co_return ApiError{errcode, errmsg, {}, false};
        }
        auto doc = server::parse_json(res.response.body);
        LoginSession s;
        if (doc && doc->IsObject() && doc->HasMember("openid") && (*doc)["openid"].IsString()) {
            s.openid = (*doc)["openid"].GetString();
            if (doc->HasMember("unionid") && (*doc)["unionid"].IsString()) {
                s.unionid = std::string((*doc)["unionid"].GetString());
            }
            if (doc->HasMember("session_key") && (*doc)["session_key"].IsString()) {
                s.session_key = (*doc)["session_key"].GetString();
            }
            co_return s;
        }
        co_return ApiError{-1, "jscode2session answer without openid", server::errc::upstream_unavailable, false};
    }
}

net::awaitable<result<void, ApiError>> ApiClient::send_custom_text(std::string const& openid,
                                                                   std::string const& content) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    server::write_key(w, "touser");
    server::write_string(w, openid);
    server::write_key(w, "msgtype");
    server::write_string(w, "text");
    server::write_key(w, "text");
    w.StartObject();
    server::write_key(w, "content");
    server::write_string(w, content);
    w.EndObject();
    w.EndObject();
    co_return co_await post_void("/cgi-bin/message/custom/send", buf.GetString());
}

net::awaitable<result<void, ApiError>> ApiClient::post_void(std::string const& path, std::string body) {
    auto r = co_await post(path, std::move(body));
    if (!r) {
        co_return r.error();
    }
    co_return result<void, ApiError>{};
}

}  // namespace bense::wechat

// Access-token cache: GET from Redis; on a miss, SET NX a lock and fetch, or wait for the
// holder's value. The cache keeps a token until 5 minutes before WeChat's expiry, so a
// refresh always happens while the old token still works.
#include "wechat/access_token.hpp"

#include "server/errors.hpp"
#include "server/json.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

namespace bense::embedded {
// Generated from wechat/access_token.lua (wechat/CMakeLists.txt).
extern std::string_view const wechat_token_functions;
}  // namespace bense::embedded

namespace bense::wechat {
namespace {

using namespace std::chrono_literals;

constexpr auto kMargin = 300s;         // refresh this long before WeChat's expiry
constexpr auto kLockTtl = 10s;         // a refresher that died frees the lock after this
constexpr auto kWaitForHolder = 10s;   // how long others wait for the refresher's value
constexpr auto kPoll = 25ms;

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
    std::string out;
    for (unsigned char c : raw) {
        out += fmt::format("{:02x}", c);
    }
    return out;
}

ApiError store_error(error_code ec) { return ApiError{0, "", ec, false}; }

}  // namespace

std::string_view token_redis_library() { return embedded::wechat_token_functions; }

std::string ApiError::describe() const {
    if (errcode != 0) {
        return fmt::format("errcode {}: {}", errcode, errmsg);
    }
    return fmt::format("{}{}", transport.message(), unknown_outcome ? " (outcome unknown)" : "");
}

AccessTokenManager::AccessTokenManager(AppCredentials credentials, TokenSource source,
                                       server::RedisClient& redis, server::HttpsClient& https)
    : credentials_(std::move(credentials)), source_(source), redis_(redis), https_(https) {}

std::string AccessTokenManager::cache_key() const {
    // One key per app id and source: stable_token and /cgi-bin/token tokens are independent.
    return fmt::format("bense:{{wxtoken:{}}}:{}", credentials_.appid,
                       source_ == TokenSource::stable ? "stable" : "classic");
}

net::awaitable<result<std::string, ApiError>> AccessTokenManager::token() {
    auto const key = cache_key();
    auto const lock_key = key + ":lock";
    auto const lock_value = random_hex(16);
    auto const give_up = std::chrono::steady_clock::now() + kWaitForHolder;
    net::steady_timer pause(redis_.executor());
    while (true) {
        server::RedisClient::Argv get{"GET", key};
        auto [get_ec, cached] = co_await redis_.exec(std::move(get));
        if (get_ec) {
            co_return store_error(get_ec);
        }
        if (auto text = cached.text()) {
            co_return std::string(*text);
        }
        server::RedisClient::Argv lock{"SET", lock_key, lock_value, "NX", "PX",
                                       std::to_string(std::chrono::milliseconds(kLockTtl).count())};
        auto [lock_ec, locked] = co_await redis_.exec(std::move(lock));
        if (lock_ec) {
            co_return store_error(lock_ec);
        }
        if (locked.text() == "OK") {
            // The previous holder may have stored its token and let go of the lock between
            // our GET and our SET NX: look once more before asking WeChat.
            server::RedisClient::Argv again{"GET", key};
            auto [again_ec, stored] = co_await redis_.exec(std::move(again));
            if (!again_ec) {
                if (auto text = stored.text()) {
                    co_await release(lock_key, lock_value);
                    co_return std::string(*text);
                }
            }
            co_return co_await fetch_and_store(lock_key, lock_value);
        }
        // Another instance is refreshing: wait for its value rather than asking WeChat too.
        if (std::chrono::steady_clock::now() >= give_up) {
            co_return store_error(server::errc::upstream_timeout);
        }
        pause.expires_after(kPoll);
        co_await pause.async_wait(use_tuple);
    }
}

net::awaitable<result<std::string, ApiError>> AccessTokenManager::fetch_and_store(
    std::string const& lock_key, std::string const& lock_value) {
    server::HttpsResult res;
    if (source_ == TokenSource::stable) {
        rapidjson::StringBuffer buf;
        server::JsonWriter w(buf);
        w.StartObject();
        server::write_key(w, "grant_type");
        server::write_string(w, "client_credential");
        server::write_key(w, "appid");
        server::write_string(w, credentials_.appid);
        server::write_key(w, "secret");
        server::write_string(w, credentials_.secret);
        server::write_key(w, "force_refresh");
        w.Bool(false);
        w.EndObject();
        res = co_await https_.request(http::verb::post, "/cgi-bin/stable_token", buf.GetString());
    } else {
        res = co_await https_.request(
            http::verb::get, fmt::format("/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
                                         credentials_.appid, credentials_.secret));
    }
    result<std::string, ApiError> out = ApiError{};
    if (res.ec) {
        out = ApiError{0, res.detail, res.ec, false};
    } else {
        auto doc = server::parse_json(res.response.body);
        if (!doc || !doc->IsObject()) {
            out = ApiError{0, "token answer is not JSON", server::errc::upstream_unavailable, false};
        } else if (doc->HasMember("access_token") && (*doc)["access_token"].IsString()) {
            std::string token = (*doc)["access_token"].GetString();
            long long expires_in = doc->HasMember("expires_in") && (*doc)["expires_in"].IsInt64()
                                       ? (*doc)["expires_in"].GetInt64() : 7200;
            long long ttl = expires_in - kMargin.count();
            if (ttl < 60) {
                ttl = std::max(1LL, expires_in / 2);
            }
            server::RedisClient::Argv set{"SET", cache_key(), token, "EX", std::to_string(ttl)};
            auto [set_ec, set_reply] = co_await redis_.exec(std::move(set));
            out = set_ec ? result<std::string, ApiError>(store_error(set_ec)) : result<std::string, ApiError>(token);
            spdlog::info("wechat: new access token for {} (cached {} s)", credentials_.appid, ttl);
        } else {
            int errcode = (*doc).HasMember("errcode") && (*doc)["errcode"].IsInt() ? (*doc)["errcode"].GetInt() : -1;
            std::string errmsg = (*doc).HasMember("errmsg") && (*doc)["errmsg"].IsString() ? (*doc)["errmsg"].GetString() : "";
            if (errcode == 45009) {
                spdlog::critical("wechat: DAILY QUOTA for access tokens of {} is used up (45009): {}. "
                                 "Not retrying; reset it in the console or with clear_quota.",
                                 credentials_.appid, errmsg);
            } else {
                spdlog::error("wechat: token fetch for {} failed: {} {}", credentials_.appid, errcode, errmsg);
            }
            out = ApiError{errcode, errmsg, {}, false};
        }
    }
    co_await release(lock_key, lock_value);
    co_return out;
}

net::awaitable<void> AccessTokenManager::release(std::string const& lock_key, std::string const& lock_value) {
    // Only our own lock: after kLockTtl another instance may hold it.
    server::RedisClient::Argv unlock{"FCALL", "bense_del_if_equal", "1", lock_key, lock_value};
    co_await redis_.exec(std::move(unlock));
}

net::awaitable<void> AccessTokenManager::invalidate(std::string const& failing) {
    server::RedisClient::Argv del{"FCALL", "bense_del_if_equal", "1", cache_key(), failing};
    auto [ec, reply] = co_await redis_.exec(std::move(del));
    if (ec) {
        spdlog::warn("wechat: could not invalidate the token of {}: {}", credentials_.appid, ec.message());
    }
}

}  // namespace bense::wechat

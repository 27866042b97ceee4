// The callback store on Redis. See callback_store.hpp and callback_store.lua.
#include "wechat/callback_store.hpp"

#include "server/errors.hpp"

namespace bense::embedded {
extern std::string_view const wechat_callback_functions;
}  // namespace bense::embedded

namespace bense::wechat {
namespace {

CallbackState state_of(std::string_view s) {
    if (s == "claimed") {
        return CallbackState::claimed;
    }
    if (s == "running") {
        return CallbackState::running;
    }
    if (s == "late") {
        return CallbackState::late;
    }
    if (s == "done") {
        return CallbackState::done;
    }
    if (s == "sent_later") {
        return CallbackState::sent_later;
    }
    return CallbackState::gone;
}

// {state, reply} as the Lua functions and HMGET return it.
result<StoredCallback> read_pair(error_code ec, server::RedisReply const& reply) {
    if (ec) {
        return ec;
    }
    if (reply.type != server::RedisReply::Type::array || reply.elements.size() != 2) {
        return make_error_code(server::errc::store_error);
    }
    StoredCallback out;
    auto state = reply.elements[0].text();
    out.state = state ? state_of(*state) : CallbackState::gone;
    if (auto r = reply.elements[1].text()) {
        out.reply = std::string(*r);
    }
    return out;
}

}  // namespace

std::string_view callback_redis_library() { return embedded::wechat_callback_functions; }

std::string user_key_prefix(std::string_view openid) {
    std::string k = "bense:{user:";
    k.append(openid).append("}:");
    return k;
}

std::string CallbackStore::key(std::string_view openid, std::string_view endpoint, std::string_view dedupe_key) {
    auto k = user_key_prefix(openid);
    k.append("wx:").append(endpoint).append(":").append(dedupe_key);
    return k;
}

net::awaitable<result<StoredCallback>> CallbackStore::claim(std::string const& key, std::string const& state_key) {
    server::RedisClient::Argv argv{"FCALL", "bense_wx_claim", state_key.empty() ? "1" : "2", key};
    if (!state_key.empty()) {
        argv.push_back(state_key);
    }
    argv.push_back(std::to_string(ttl_.count()));
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    // The first delivery's answer has a third element: the state, or nil.
    std::optional<std::string> user_state;
    if (!ec && reply.type == server::RedisReply::Type::array && reply.elements.size() == 3) {
        if (auto text = reply.elements[2].text()) {
            user_state = std::string(*text);
        }
        reply.elements.pop_back();
    }
    auto out = read_pair(ec, reply);
    if (out) {
        out->user_state = std::move(user_state);
    }
    co_return out;
}

net::awaitable<result<StoredCallback>> CallbackStore::peek(std::string const& key) {
    server::RedisClient::Argv argv{"HMGET", key, "state", "reply"};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    co_return read_pair(ec, reply);
}

net::awaitable<result<bool>> CallbackStore::finish(std::string const& key, std::string const& reply_xml) {
    server::RedisClient::Argv argv{"FCALL", "bense_wx_finish", "1", key, reply_xml, std::to_string(ttl_.count())};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    if (ec) {
        co_return result<bool>(boost::system::in_place_error, ec);  // bool would take ec too
    }
    auto text = reply.text();
    co_return text && *text == "late";
}

net::awaitable<result<StoredCallback>> CallbackStore::give_up(std::string const& key) {
    server::RedisClient::Argv argv{"FCALL", "bense_wx_give_up", "1", key};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    co_return read_pair(ec, reply);
}

net::awaitable<result<void>> CallbackStore::queue_late(std::string_view endpoint, std::string_view openid,
                                                       std::string const& key, std::string const& reply_xml) {
    server::RedisClient::Argv argv{"XADD",   std::string(kLateRepliesKey), "MAXLEN",      "~",
                                   "100000", "*",                          "endpoint",    std::string(endpoint),
                                   "openid", std::string(openid),          "callback",    key,
                                   "reply",  reply_xml};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    if (ec) {
        co_return ec;
    }
    co_return result<void>{};
}

}  // namespace bense::wechat

// The callback store on Redis. See callback_store.hpp and callback_store.lua.
#include "wechat/callback_store.hpp"

#include "server/errors.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace bense::embedded {
extern std::string_view const wechat_callback_functions;
}  // namespace bense::embedded

namespace bense::wechat {
namespace {

// The state of a value without a reply.
CallbackState state_of(std::string_view s) {
    if (s == "running") {
        return CallbackState::running;
    }
    if (s == "late") {
        return CallbackState::late;
    }
    return CallbackState::gone;
}

// A stored value, "<state>" or "<state>\n<reply>" (callback_store.lua), cut in two.
struct ValueParts {
    std::string_view state;
    std::optional<std::string_view> reply;  // none before the handler finished
};
ValueParts split_value(std::string_view value) {
    auto const nl = value.find('\n');
    if (nl == std::string_view::npos) {
        return {value, std::nullopt};
    }
    return {value.substr(0, nl), value.substr(nl + 1)};
}

// nil is gone. A reply is done, or sent later: after "late" (what give-up returns for it), or
// when the callback's late mark is set (`late_mark`).
result<StoredCallback> read_value(error_code ec, server::RedisReply const& reply,
                                  bool late_mark = false) {
    if (ec) {
        return ec;
    }
    StoredCallback out;
    if (reply.is_nil()) {
        return out;
    }
    auto text = reply.text();
    if (!text) {
        return make_error_code(server::errc::store_error);
    }
    auto const parts = split_value(*text);
    if (!parts.reply) {
        out.state = state_of(parts.state);
        return out;
    }
    out.state =
        parts.state == "late" || late_mark ? CallbackState::sent_later : CallbackState::done;
    out.reply = std::string(*parts.reply);
    return out;
}

bool has_reply(server::RedisReply const& reply) {
    auto const text = reply.text();
    return text && text->find('\n') != std::string_view::npos;
}

std::string millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()); }

}  // namespace

std::string_view callback_redis_library() { return embedded::wechat_callback_functions; }

std::string user_key_prefix(std::string_view openid) {
    std::string k = "bense:{user:";
    k.append(openid).append("}:");
    return k;
}

std::string CallbackStore::key(std::string_view openid, std::string_view endpoint, std::string_view dedupe_key) {
    auto k = user_key_prefix(openid);
    // "cb:", not the "wx:" of the hashes that held callbacks before: a retry across an
    // upgrade finds nothing rather than a value of the wrong type.
    k.append("cb:").append(endpoint).append(":").append(dedupe_key);
    return k;
}

std::string CallbackStore::late_mark_key(std::string_view key) { return std::string(key) + ":late"; }

net::awaitable<result<StoredCallback>> CallbackStore::claim(std::string const& key, std::string const& state_key) {
    // SET NX GET claims the callback, or tells what it holds, in one native command; the
    // sender's state goes in the same write. For a retry that read is wasted, but it is cheap.
    std::vector<server::RedisClient::Argv> commands;
    commands.push_back({"SET", key, "running", "NX", "GET", "PX", millis(ttl_)});
    if (!state_key.empty()) {
        commands.push_back({"GET", state_key});
    }
    auto outcomes = co_await redis_.exec_all(std::move(commands));
    auto& [ec, reply] = outcomes[0];
    if (!ec && reply.is_nil()) {
        StoredCallback first{CallbackState::claimed, {}, std::nullopt};
        if (outcomes.size() == 2) {
            auto& [state_ec, state] = outcomes[1];
            if (state_ec) {
                // The handler cannot run without the state: undo the claim, so that
                // WeChat's retry starts afresh instead of finding it running for nothing.
                server::RedisClient::Argv undo{"DEL", key};
                co_await redis_.exec(std::move(undo));
                co_return state_ec;
            }
            if (auto text = state.text()) {
                first.user_state = std::string(*text);
            }
        }
        co_return first;
    }
    if (!ec && has_reply(reply)) {
        // A retry after the handler finished: whether the reply went out later decides.
        co_return co_await peek(key);
    }
    co_return read_value(ec, reply);
}

net::awaitable<result<StoredCallback>> CallbackStore::peek(std::string const& key) {
    // One native command reads both, so the pair is consistent.
    server::RedisClient::Argv argv{"MGET", key, late_mark_key(key)};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    if (ec) {
        co_return ec;
    }
    if (reply.type != server::RedisReply::Type::array || reply.elements.size() != 2) {
        co_return make_error_code(server::errc::store_error);
    }
    co_return read_value(ec, reply.elements[0], !reply.elements[1].is_nil());
}

net::awaitable<result<bool>> CallbackStore::finish(std::string const& key, std::string const& reply_xml) {
    // SET GET stores the reply, with its full time, and returns the state it replaced, in one
    // native command: give-up changes only a bare "running", so a replaced "late" is the one
    // sign that a waiter gave up first. A plain SET of the whole value also stores no more
    // than the value (APPEND to the claim doubled its room, which made Redis touch twice the
    // memory per callback). nil: the claim had expired; a retry still finds the reply.
    auto const failed = [](error_code ec) { return result<bool>(boost::system::in_place_error, ec); };
    server::RedisClient::Argv argv{"SET", key, "running\n" + reply_xml, "GET", "PX", millis(ttl_)};
    auto [ec, replaced] = co_await redis_.exec(std::move(argv));
    if (ec) {
        co_return failed(ec);
    }
    if (replaced.is_nil()) {
        co_return false;
    }
    auto const state = replaced.text();
    if (!state) {
        co_return failed(make_error_code(server::errc::store_error));
    }
    if (*state != "late") {
        co_return false;  // running, or the reply of a second run after the claim expired
    }
    // The late mark should last as long as the reply it speaks of. If that write fails, the
    // mark keeps give-up's time, which covers WeChat's retries; the reply must still go out.
    server::RedisClient::Argv keep{"PEXPIRE", late_mark_key(key), millis(ttl_)};
    co_await redis_.exec(std::move(keep));
    co_return true;
}

net::awaitable<result<StoredCallback>> CallbackStore::give_up(std::string const& key) {
    server::RedisClient::Argv argv{"FCALL", "bense_wx_give_up", "2", key, late_mark_key(key),
                                   millis(ttl_)};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    co_return read_value(ec, reply);
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

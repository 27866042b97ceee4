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

// nil is gone. A reply after "late" came when a waiter had given up (sent later); after
// anything else it is done.
result<StoredCallback> read_value(error_code ec, server::RedisReply const& reply) {
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
    out.state = parts.state == "late" ? CallbackState::sent_later : CallbackState::done;
    out.reply = std::string(*parts.reply);
    return out;
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
    co_return read_value(ec, reply);
}

net::awaitable<result<StoredCallback>> CallbackStore::peek(std::string const& key) {
    server::RedisClient::Argv argv{"GET", key};
    auto [ec, reply] = co_await redis_.exec(std::move(argv));
    co_return read_value(ec, reply);
}

net::awaitable<result<bool>> CallbackStore::finish(std::string const& key, std::string const& reply_xml) {
    // APPEND freezes the state that was there ("running", or "late" when a waiter gave up)
    // in one native command: give-up changes only a bare "running". GETEX then reads what was
    // frozen and gives the stored reply its full time (and a key that had expired, one at all).
    auto const failed = [](error_code ec) { return result<bool>(boost::system::in_place_error, ec); };
    std::string tail = "\n" + reply_xml;
    std::vector<server::RedisClient::Argv> commands;
    commands.push_back({"APPEND", key, tail});
    commands.push_back({"GETEX", key, "PX", millis(ttl_)});
    auto outcomes = co_await redis_.exec_all(std::move(commands));
    for (auto const& [ec, reply] : outcomes) {
        if (ec) {
            co_return failed(ec);  // result<bool> would take ec as a bool too
        }
    }
    auto value = std::get<1>(outcomes[1]).text();
    if (!value) {
        co_return failed(make_error_code(server::errc::store_error));
    }
    auto const parts = split_value(*value);
    if (!parts.reply || parts.reply->size() != reply_xml.size()) {
        // Two replies, one after the other: this callback's claim had expired and a retry ran
        // the handler again. Keep one whole reply, ours.
        server::RedisClient::Argv repair{"SET", key, std::string(parts.state) + tail, "PX", millis(ttl_)};
        auto [ec, reply] = co_await redis_.exec(std::move(repair));
        if (ec) {
            co_return failed(ec);
        }
    }
    co_return parts.state == "late";
}

net::awaitable<result<StoredCallback>> CallbackStore::give_up(std::string const& key) {
    server::RedisClient::Argv argv{"FCALL", "bense_wx_give_up", "1", key};
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

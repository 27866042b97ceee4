// The callback gateway's routes. The pure checks live in callback_check, the Redis side in
// callback_store; this file is the flow between them and the 5-second rule.
#include "wechat/gateway.hpp"

#include "server/metrics.hpp"
#include "server/response.hpp"
#include "server/url.hpp"
#include "server/worker.hpp"
#include "wechat/callback_check.hpp"
#include "wechat/callback_store.hpp"

#include <spdlog/spdlog.h>

namespace bense::wechat {
namespace {

using server::Request;
using server::Response;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kSuccess = "success";
constexpr auto kPollInterval = std::chrono::milliseconds(25);

struct Endpoint {
    std::string name;  // "oa" or "mp": metric label, key part, path
    EndpointConfig cfg;
    std::optional<KeyRing> keys;
    KeyRing const* key_ring() const { return keys ? &*keys : nullptr; }
};

struct Shared {
    GatewayConfig config;
    MessageHandler handler;
    std::shared_ptr<server::Clock const> clock;
    UserStateKey user_state_key;
};

// What the waiting request and the detached handler share; both run on the worker's thread.
struct Pending {
    explicit Pending(net::any_io_executor ex) : timer(std::move(ex)) {}
    net::steady_timer timer;
    bool finished = false;
    std::string reply;  // the plain body the response carries, once finished
};

// Hands the waiting request its answer.
void answer(Pending& pending, std::string reply) {
    pending.finished = true;
    pending.reply = std::move(reply);
    pending.timer.cancel();
}

// The handler's state key for this message, if it wants one and it shares the sender's slot.
std::string user_state_key(Shared const& shared, Message const& m) {
    if (!shared.user_state_key) {
        return {};
    }
    auto k = shared.user_state_key(m);
    if (!k.empty() && !k.starts_with(user_key_prefix(m.from_user))) {
        spdlog::error("wechat: state key {} is not under {}: not read with the claim", k, user_key_prefix(m.from_user));
        return {};
    }
    return k;
}

// The six parameters in one pass over the query; each as Request::query_param would read it
// (the first one wins, a malformed one reads as ""), but without six passes.
CallbackQuery read_query(Request const& req) {
    CallbackQuery q;
    std::pair<std::string_view, std::string*> const wanted[] = {
        {"signature", &q.signature},       {"timestamp", &q.timestamp}, {"nonce", &q.nonce},
        {"echostr", &q.echostr},           {"encrypt_type", &q.encrypt_type},
        {"msg_signature", &q.msg_signature}};
    bool seen[std::size(wanted)] = {};
    server::for_each_query_pair(req.query, [&](std::string_view name, std::string_view raw_value) {
        for (std::size_t i = 0; i < std::size(wanted); ++i) {
            if (!seen[i] && name == wanted[i].first) {
                seen[i] = true;
                *wanted[i].second = server::percent_decode(raw_value, true).value_or("");
            }
        }
        return true;
    });
    return q;
}

Response refuse(Request& req, Endpoint const& ep, CallbackError const& e) {
    auto const reason = failure_label(e.failure);
    spdlog::warn("wechat {} {}: refused ({}): {} from {}", ep.name, req.msg.method_string(), reason, e.detail,
                 req.remote_address);
    auto& m = req.worker->metrics();
    m.add(server::metric_series("bense_wechat_refused_total", {{"endpoint", ep.name}, {"reason", reason}}));
    if (e.failure == CallbackFailure::bad_signature) {
        m.add(server::metric_series("bense_wechat_signature_failures_total", {{"endpoint", ep.name}}));
    }
    if (e.failure == CallbackFailure::bad_encryption || e.failure == CallbackFailure::wrong_appid) {
        m.add(server::metric_series("bense_wechat_decrypt_failures_total", {{"endpoint", ep.name}}));
    }
    return server::error_response(req, error_row(e.failure));
}

//------------------------------------------------------------------------------------------
// The handler, run apart from the request so that it may finish after the deadline.

net::awaitable<void> run_handler(std::shared_ptr<Shared const> shared, std::shared_ptr<Endpoint const> ep,
                                 std::shared_ptr<Message const> message, UserState user_state,
                                 server::Worker& worker, std::string key, std::shared_ptr<Pending> pending) {
    Reply reply;
    try {
        reply = co_await shared->handler(*message, worker, std::move(user_state));
    } catch (std::exception const& e) {
        // A bug: the user gets no answer rather than WeChat's "service unavailable" text.
        spdlog::error("wechat {}: message handler failed on {}: {}", ep->name, key, e.what());
        worker.metrics().add("bense_handler_exceptions_total");
        reply = Reply::none();
    }
    reply.create_time = shared->clock->now_seconds();
    auto const xml = render_reply_xml(reply);
    // A mini-program push cannot carry a reply: it always goes out later.
    bool const deferred = !ep->cfg.passive_replies && xml != kSuccess;
    std::string const stored = deferred ? std::string(kSuccess) : xml;
    // A reply in time is answered at once, while it is being stored: WeChat retries only a
    // callback whose connection it dropped (5 s without an answer), and a retry that finds the
    // callback still running polls until the reply is stored. So the response does not wait a
    // Redis round trip, and the next request comes sooner. Should a retry have given up first
    // (possible only with a shorter deadline on another instance), this response goes to a
    // connection WeChat dropped, and the reply is queued below like any late one.
    bool const in_time = !deferred && !pending->finished && Clock::now() < pending->timer.expiry();
    if (in_time) {
        answer(*pending, stored);
    }
    CallbackStore store(worker.redis(), shared->config.reply_ttl);
    auto late = co_await store.finish(key, stored);
    if (!late) {
        spdlog::error("wechat {}: reply for {} not stored: {}", ep->name, key, late.error().message());
    }
    bool const missed = late && *late;
    if ((deferred || missed) && xml != kSuccess) {
        auto queued = co_await store.queue_late(ep->name, message->from_user, key, xml);
        worker.metrics().add(server::metric_series("bense_wechat_late_replies_total", {{"endpoint", ep->name}}));
        if (queued) {
            spdlog::info("wechat {}: reply to {} for {} queued in {}", ep->name, message->from_user, key,
                         kLateRepliesKey);
        } else {
            spdlog::error("wechat {}: reply to {} for {} lost: {}", ep->name, message->from_user, key,
                          queued.error().message());
        }
    }
    if (!in_time) {
        answer(*pending, missed ? std::string(kSuccess) : stored);
    }
}

// Deadline passed: the reply if it made it after all, else "success" (it goes out later).
net::awaitable<std::string> give_up(CallbackStore& store, Endpoint const& ep, std::string const& key,
                                    server::Worker& worker) {
    auto g = co_await store.give_up(key);
    if (g && g->state == CallbackState::done) {
        co_return g->reply;
    }
    spdlog::warn("wechat {}: no reply for {} within the deadline: answered success", ep.name, key);
    worker.metrics().add(server::metric_series("bense_wechat_deadline_missed_total", {{"endpoint", ep.name}}));
    co_return std::string(kSuccess);
}

//------------------------------------------------------------------------------------------
// The three ways a delivery is answered: first, retry while running, retry after.

// The message is shared, not copied, with the handler that may outlive the request.
net::awaitable<std::string> answer_first(std::shared_ptr<Shared const> shared, std::shared_ptr<Endpoint const> ep,
                                         std::shared_ptr<Message const> message, UserState user_state,
                                         server::Worker& worker, CallbackStore& store, std::string const& key,
                                         Clock::time_point deadline) {
    auto ex = co_await net::this_coro::executor;
    auto pending = std::make_shared<Pending>(ex);
    pending->timer.expires_at(deadline);
    net::co_spawn(ex, run_handler(shared, ep, std::move(message), std::move(user_state), worker, key, pending),
                  net::detached);
    if (!pending->finished) {
        co_await pending->timer.async_wait(use_tuple);
    }
    if (pending->finished) {
        co_return pending->reply;
    }
    co_return co_await give_up(store, *ep, key, worker);
}

net::awaitable<std::string> answer_retry_while_running(Endpoint const& ep, server::Worker& worker,
                                                       CallbackStore& store, std::string const& key,
                                                       Clock::time_point deadline) {
    net::steady_timer timer(co_await net::this_coro::executor);
    while (Clock::now() + kPollInterval < deadline) {
        timer.expires_after(kPollInterval);
        co_await timer.async_wait(use_tuple);
        auto s = co_await store.peek(key);
        if (!s) {
            break;
        }
        if (s->state == CallbackState::done) {
            co_return s->reply;
        }
        if (s->state != CallbackState::running) {
            co_return std::string(kSuccess);  // late: the reply goes out later, once
        }
    }
    co_return co_await give_up(store, ep, key, worker);
}

//------------------------------------------------------------------------------------------

net::awaitable<Response> handle_get(std::shared_ptr<Shared const> shared, std::shared_ptr<Endpoint const> ep,
                                    Request& req) {
    auto echo = verify_url(ep->cfg, read_query(req), shared->clock->now_seconds(),
                           shared->config.timestamp_window_seconds);
    if (!echo) {
        co_return refuse(req, *ep, echo.error());
    }
    co_return server::text_response(http::status::ok, std::move(*echo), "text/plain");
}

net::awaitable<Response> handle_post(std::shared_ptr<Shared const> shared, std::shared_ptr<Endpoint const> ep,
                                     Request& req) {
    auto const deadline = Clock::now() + shared->config.handler_deadline;
    auto& worker = *req.worker;
    auto const q = read_query(req);
    auto v = verify_push(ep->cfg, ep->key_ring(), q, req.msg.body(), shared->clock->now_seconds(),
                         shared->config.timestamp_window_seconds);
    if (!v) {
        co_return refuse(req, *ep, v.error());
    }
    v->message->endpoint = ep->name;
    auto const& m = *v->message;
    worker.metrics().add(server::metric_series("bense_wechat_callbacks_total",
                                {{"endpoint", ep->name}, {"type", m.msg_type}, {"event", m.event}}));
    if (!is_known_message(m)) {
        spdlog::info("wechat {}: unknown message type {} {} from {}: answered success", ep->name, m.msg_type,
                     m.event, m.from_user);
        co_return server::text_response(http::status::ok, std::string(kSuccess));
    }

    // Claim the callback, or find what an earlier delivery of it left; the first delivery
    // also reads the handler's state of this sender.
    CallbackStore store(worker.redis(), shared->config.reply_ttl);
    auto const key = CallbackStore::key(m.from_user, ep->name, dedupe_key(m));
    auto const state_key = user_state_key(*shared, m);
    auto claimed = co_await store.claim(key, state_key);
    if (!claimed) {
        spdlog::error("wechat {}: cannot claim {}: {}", ep->name, key, claimed.error().message());
        co_return server::error_response(req, server::errc::store_unavailable);
    }
    std::string xml;
    if (claimed->state == CallbackState::claimed) {
        UserState user_state{!state_key.empty(), std::move(claimed->user_state)};
        // The message is shared with the handler, which may outlive this request.
        xml = co_await answer_first(shared, ep, v->message, std::move(user_state), worker, store, key, deadline);
    } else {
        worker.metrics().add(server::metric_series("bense_wechat_retries_total", {{"endpoint", ep->name}}));
        if (claimed->state == CallbackState::done) {
            xml = std::move(claimed->reply);
        } else if (claimed->state == CallbackState::running) {
            xml = co_await answer_retry_while_running(*ep, worker, store, key, deadline);
        } else {
            xml = kSuccess;
        }
    }

    // Render, encrypted with the key that opened the request.
    auto body = render_reply_body(xml, ep->cfg, ep->key_ring(), *v, q.nonce, shared->clock->now_seconds(),
                                  worker.random());
    if (!body) {
        spdlog::error("wechat {}: reply for {} not encrypted: {}", ep->name, key, body.error().message());
        co_return server::text_response(http::status::ok, std::string(kSuccess));
    }
    co_return server::text_response(http::status::ok, std::move(body->body), body->content_type);
}

void add_endpoint(server::Router& router, std::shared_ptr<Shared const> const& shared, std::string name,
                  EndpointConfig const& cfg) {
    if (!cfg.enabled) {
        return;
    }
    auto ep = std::make_shared<Endpoint const>(Endpoint{name, cfg, cfg.key_ring()});
    auto const path = "/wechat/" + name;
    router.add({http::verb::get, path, [shared, ep](Request& req) { return handle_get(shared, ep, req); }, {},
                kCallbackBodyLimit});
    router.add({http::verb::post, path, [shared, ep](Request& req) { return handle_post(shared, ep, req); }, {},
                kCallbackBodyLimit});
}

}  // namespace

void add_gateway_routes(server::Router& router, GatewayOptions options) {
    auto shared = std::make_shared<Shared>();
    shared->config = std::move(options.config);
    shared->handler = std::move(options.handler);
    shared->clock = options.clock ? std::move(options.clock) : std::make_shared<server::SystemClock const>();
    shared->user_state_key = std::move(options.user_state_key);
    std::shared_ptr<Shared const> const frozen = shared;
    add_endpoint(router, frozen, "oa", frozen->config.oa);
    add_endpoint(router, frozen, "mp", frozen->config.mp);
}

}  // namespace bense::wechat

// Late replies: stream entry {endpoint, openid, callback, reply} -> custom/send. Whatever the
// outcome, the entry is acknowledged: ApiClient has already retried what may be retried, and
// a send with an unknown outcome must not go out twice.
#include "wechat/late_replies.hpp"

#include "server/errors.hpp"
#include "wechat/api_services.hpp"
#include "wechat/callback_store.hpp"
#include "wechat/message.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

namespace bense::wechat {
namespace {

constexpr std::string_view kGroup = "late-senders";

std::string field(server::RedisReply const& fields, std::string_view name) {
    for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
        if (fields.elements[i].str == name) {
            return fields.elements[i + 1].str;
        }
    }
    return {};
}

net::awaitable<void> ensure_group(server::RedisClient& redis) {
    server::RedisClient::Argv argv{"XGROUP", "CREATE", std::string(kLateRepliesKey), std::string(kGroup), "0",
                                   "MKSTREAM"};
    co_await redis.exec(std::move(argv));  // BUSYGROUP when it exists already: fine
}

net::awaitable<void> send_one(server::RedisClient& redis, ApiClient* oa, ApiClient* mp, std::string const& id,
                              server::RedisReply const& fields) {
    auto const endpoint = field(fields, "endpoint");
    auto const openid = field(fields, "openid");
    auto* api = endpoint == "mp" ? mp : oa;
    // The stored reply is the passive-reply XML; its shape is that of an inbound text message.
    auto reply = parse_message_xml(field(fields, "reply"));
    if (api == nullptr) {
        spdlog::warn("wechat: late reply for {} dropped: no API client for endpoint {}", openid, endpoint);
    } else if (!reply || reply->msg_type != "text") {
        spdlog::warn("wechat: late reply for {} dropped: only text replies are sent later", openid);
    } else {
        auto sent = co_await api->send_custom_text(openid, reply->content);
        if (sent) {
            spdlog::info("wechat: late reply sent to {}", openid);
        } else {
            spdlog::warn("wechat: late reply to {} not sent: {}", openid, sent.error().describe());
        }
    }
    server::RedisClient::Argv ack{"XACK", std::string(kLateRepliesKey), std::string(kGroup), id};
    co_await redis.exec(std::move(ack));
}

}  // namespace

net::awaitable<int> send_late_replies_once(server::RedisClient& redis, ApiClient* oa, ApiClient* mp,
                                           LateReplySenderOptions const& options) {
    server::RedisClient::Argv read{"XREADGROUP", "GROUP", std::string(kGroup), options.consumer,
                                   "COUNT",      std::to_string(options.batch), "STREAMS",
                                   std::string(kLateRepliesKey), ">"};
    auto [ec, reply] = co_await redis.exec(std::move(read));
    if (ec == server::errc::store_error && reply.str.starts_with("NOGROUP")) {
        co_await ensure_group(redis);
        co_return 0;
    }
    if (ec || reply.type != server::RedisReply::Type::array || reply.elements.empty()) {
        co_return 0;
    }
    int taken = 0;
    // [[stream, [[id, [field, value, ...]], ...]]]
    for (auto const& entry : reply.elements[0].elements.size() > 1 ? reply.elements[0].elements[1].elements
                                                                   : std::vector<server::RedisReply>{}) {
        if (entry.elements.size() == 2) {
            co_await send_one(redis, oa, mp, entry.elements[0].str, entry.elements[1]);
            ++taken;
        }
    }
    co_return taken;
}

net::awaitable<void> run_late_reply_sender(server::RedisClient& redis, ApiClient* oa, ApiClient* mp,
                                           LateReplySenderOptions options, std::function<bool()> stopping) {
    net::steady_timer pause(redis.executor());
    while (!stopping()) {
        int taken = 0;
        if (redis.ready()) {
            taken = co_await send_late_replies_once(redis, oa, mp, options);
        }
        if (taken < options.batch) {
            pause.expires_after(options.poll);
            co_await pause.async_wait(use_tuple);
        }
    }
}

void start_late_reply_sender(server::Worker& worker) {
    auto* api = wechat_api(worker);
    if (api == nullptr) {
        return;
    }
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    LateReplySenderOptions options;
    options.consumer = fmt::format("{}:{}:{}", host, ::getpid(), worker.index());
    net::co_spawn(worker.ioc(),
                  run_late_reply_sender(worker.redis(), api->oa.get(), api->mp.get(), std::move(options),
                                        [&worker] { return worker.stopping(); }),
                  [](std::exception_ptr e) {
                      if (e) {
                          try {
                              std::rethrow_exception(e);
                          } catch (std::exception const& ex) {
                              spdlog::error("wechat: late-reply sender stopped: {}", ex.what());
                          }
                      }
                  });
}

}  // namespace bense::wechat

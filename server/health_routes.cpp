// Health and metrics routes. /healthz answers 503 with the reason when Redis is down or our
// functions are missing, so a load balancer and an operator see the same truth.
#include "server/health_routes.hpp"

#include "server/http_server.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

namespace bense::server {
namespace {

Response health_body(http::status status, std::string_view state, std::string_view reason) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "status");
    write_string(w, state);
    if (!reason.empty()) {
        write_key(w, "reason");
        write_string(w, reason);
    }
    w.EndObject();
    auto res = json_response(status, std::string(buf.GetString(), buf.GetSize()));
    res.set(http::field::cache_control, "no-store");
    return res;
}

net::awaitable<Response> healthz(Request& req) {
    auto& redis = req.worker->redis();
    if (!redis.ready()) {
        co_return health_body(http::status::service_unavailable, "unavailable",
                              "redis: " + redis.last_error());
    }
    RedisClient::Argv argv{"FCALL_RO", "bense_health", "0"};
    auto [ec, reply] = co_await redis.exec(std::move(argv));
    if (ec == errc::store_error) {
        co_return health_body(http::status::service_unavailable, "unavailable",
                              "redis: " + reply.str);
    }
    if (ec) {
        co_return health_body(http::status::service_unavailable, "unavailable",
                              "redis: " + ec.message());
    }
    co_return health_body(http::status::ok, "ok", "");
}

net::awaitable<Response> livez(Request&) {
    co_return text_response(http::status::ok, "ok\n");
}

net::awaitable<Response> metrics(Request& req) {
    co_return text_response(http::status::ok, req.worker->server().metrics().render(),
                            "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace

void add_health_routes(Router& router) {
    router.add({http::verb::get, "/livez", livez});
    router.add({http::verb::get, "/healthz", healthz});
    router.add({http::verb::get, "/metrics", metrics});
}

}  // namespace bense::server

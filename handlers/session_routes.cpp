// See session_routes.hpp. POST/DELETE /api/v1/session, POST /api/v1/binding, GET /api/v1/me,
// POST /api/v1/me/binding-codes.
#include "handlers/session_routes.hpp"

#include "handlers/bot_text.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/points_views.hpp"
#include "handlers/roster_auth.hpp"
#include "handlers/roster_csv.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_json.hpp"
#include "handlers/roster_store.hpp"
#include "server/digest.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"
#include "wechat/api_services.hpp"

#include <spdlog/spdlog.h>

#include <charconv>

namespace bense::handlers {
namespace {

using server::Request;
using server::Response;
using Deps = std::shared_ptr<RosterDeps const>;

std::string millis(std::chrono::seconds s) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(s).count());
}

// A short string member of the body ("" when absent or not a string).
std::string body_string(rapidjson::Value const& body, char const* key) {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() > 256) {
        return {};
    }
    return {it->value.GetString(), it->value.GetStringLength()};
}

Response wechat_error_response(Request const& req, wechat::ApiError const& e, roster_errc invalid,
                               roster_errc used) {
    spdlog::info("{} {}: WeChat said {}", req.msg.method_string(), req.route, e.describe());
    if (e.errcode == 40029) {
        return server::error_response(req, error_row(invalid));
    }
    if (e.errcode == 40163) {
        return server::error_response(req, error_row(used));
    }
    if (e.transport == server::errc::upstream_timeout) {
        return server::error_response(req, server::errc::upstream_timeout);
    }
    return server::error_response(req, server::errc::upstream_unavailable);
}

wechat::ApiClient* mini_program(Request const& req) {
    auto* api = wechat::wechat_api(*req.worker);
    return api ? api->mp.get() : nullptr;
}

std::string member_or_null(std::optional<MemberSummary> const& m) { return m ? summary_json(*m) : "null"; }

//------------------------------------------------------------------------------------------

net::awaitable<Response> open_session(Deps deps, Request& req) {
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto const code = body_string(*body, "code");
    if (code.empty()) {
        co_return field_error_response(req, "缺少登录码（wx.login 的 code）。");
    }
    auto* api = mini_program(req);
    if (api == nullptr) {
        co_return server::error_response(req, server::errc::upstream_unavailable);
    }
    auto login = co_await api->jscode2session(code);
    if (!login) {
        co_return wechat_error_response(req, login.error(), roster_errc::login_code_invalid,
                                        roster_errc::login_code_used);
    }
    auto const token = new_token(*deps);
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("session_open",
                                 fcall_args(server::sha256_hex(token), millis(deps->config.session_ttl),
                                            std::to_string(deps->clock->now_seconds()), login->openid,
                                            login->unionid.value_or(""), login->session_key));
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    std::optional<MemberSummary> member;
    if (!r->empty()) {
        member = read_summary(r->front());
    }
    co_return server::json_response(
        http::status::ok, fmt::format(R"({{"token":"{}","expires_in":{},"bound":{},"member":{}}})", token,
                                      deps->config.session_ttl.count(), member ? "true" : "false",
                                      member_or_null(member)));
}

net::awaitable<Response> close_session(Deps deps, Request& req) {
    auto caller = co_await authenticate(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    if (caller->session_hash.empty()) {
        co_return server::error_response(req, server::errc::forbidden);  // a bureau token is revoked, not logged out
    }
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("session_close", fcall_args(caller->session_hash));
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return server::json_response(http::status::ok, std::string(R"({"logged_out":true})"));
}

// {code} or {phone_code}: binds the session's WeChat user to a member.
net::awaitable<Response> bind(Deps deps, Request& req) {
    auto caller = co_await authenticate(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    if (caller->session_hash.empty()) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto const& cfg = deps->config;
    auto const now = std::to_string(deps->clock->now_seconds());
    RosterStore store(req.worker->redis());
    result<std::vector<server::RedisReply>, StoreError> r = StoreError{};
    if (body->HasMember("code")) {
        auto code = read_binding_code(body_string(*body, "code"));
        if (!code) {
            co_return field_error_response(req, "绑定码是6位数字，请核对后再输。");
        }
        r = co_await store.call("bind_code", fcall_args(caller->ident, *code, now, req.remote_address,
                                              std::to_string(cfg.max_user_failures),
                                              std::to_string(cfg.max_code_attempts), millis(cfg.failure_window)));
    } else if (body->HasMember("phone_code")) {
        auto const phone_code = body_string(*body, "phone_code");
        auto* api = mini_program(req);
        if (phone_code.empty() || api == nullptr) {
            co_return phone_code.empty() ? field_error_response(req, "缺少手机号授权码（phone_code）。")
                                         : server::error_response(req, server::errc::upstream_unavailable);
        }
        auto phone = co_await api->phone_number(phone_code);
        if (!phone) {
            co_return wechat_error_response(req, phone.error(), roster_errc::phone_code_invalid,
                                            roster_errc::phone_code_invalid);
        }
        auto digits = normalise_phone(*phone);
        if (!digits) {
            co_return server::error_response(req, error_row(roster_errc::bind_phone_unknown));
        }
        r = co_await store.call("bind_phone", fcall_args(caller->ident, server::hmac_sha256_hex(cfg.phone_hash_secret, *digits),
                                               now, req.remote_address, std::to_string(cfg.max_user_failures),
                                               millis(cfg.failure_window)));
    } else {
        co_return field_error_response(req, "请给出绑定码（code）或手机号授权码（phone_code）。");
    }
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    auto member = read_summary(r->front());
    co_return server::json_response(http::status::ok, fmt::format(R"({{"member":{}}})", member_or_null(member)));
}

net::awaitable<Response> me(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    co_return server::json_response(http::status::ok, fmt::format(R"({{"member":{}}})", summary_json(*caller->member)));
}

// The member's own points: this year's and lifetime totals and the ledger, newest first
// (?count=1..100, default 20; ?before=<entry id> for the next page). Never anyone else's.
net::awaitable<Response> my_points(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    int count = 20;
    if (auto c = req.query_param("count")) {
        auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), count);
        if (ec != std::errc{} || p != c->data() + c->size() || count < 1 || count > 100) {
            co_return field_error_response(req, "count 应是1到100之间的数。");
        }
    }
    auto const before = req.query_param("before").value_or("");
    if (!before.empty() && !is_stream_id(before)) {
        co_return field_error_response(req, "before 应是积分记录的编号。");
    }
    auto const year = beijing_year(deps->clock->now_seconds());
    auto h = co_await points_history(req.worker->redis(), caller->member->number, year, before, count);
    if (!h) {
        co_return store_error_response(req, h.error());
    }
    co_return server::json_response(http::status::ok, points_history_json(*h, year, deps->points));
}

// {kind: "proxy"} a code for a family member to act for me; {kind: "self"} one for my own
// official-account chat ("绑定 123456" there).
net::awaitable<Response> my_code(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    if (caller->member->proxy) {
        co_return server::error_response(req, server::errc::forbidden);  // a proxy may not pass the trust on
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto const kind = body_string(*body, "kind");
    if (kind != "self" && kind != "proxy") {
        co_return field_error_response(req, "kind 只能是 self（自己的公众号）或 proxy（家人代办）。");
    }
    Acting acting{caller->actor(), req.remote_address, deps->clock->now_seconds(), caller->member->branch};
    std::vector<std::string> args{std::to_string(deps->config.code_ttl.count() * 1000), kind, "0", "",
                                  caller->member->number};
    for (int i = 0; i < 8; ++i) {
        args.push_back(server::random_digits(deps->random, 6));
    }
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("issue_codes", acting, std::move(args));
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    auto const& issued = r->front().elements;
    co_return server::json_response(http::status::ok,
                                    fmt::format(R"({{"code":"{}","expires_at":{}}})", issued[2].text().value_or(""),
                                                issued[3].text().value_or("0")));
}

}  // namespace

std::optional<std::string> read_binding_code(std::string_view text) {
    std::string digits;
    for (char c : normalise_argument(normalise_text(text))) {
        if (c == ' ') {
            continue;
        }
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        digits.push_back(c);
    }
    if (digits.size() != 6) {
        return std::nullopt;
    }
    return digits;
}

void add_session_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    router.add({http::verb::post, "/api/v1/session", [deps](Request& r) { return open_session(deps, r); }});
    router.add({http::verb::delete_, "/api/v1/session", [deps](Request& r) { return close_session(deps, r); }});
    router.add({http::verb::post, "/api/v1/binding", [deps](Request& r) { return bind(deps, r); }});
    router.add({http::verb::get, "/api/v1/me", [deps](Request& r) { return me(deps, r); }});
    router.add({http::verb::post, "/api/v1/me/binding-codes", [deps](Request& r) { return my_code(deps, r); }});
    router.add({http::verb::get, "/api/v1/me/points", [deps](Request& r) { return my_points(deps, r); }});
}

}  // namespace bense::handlers

// See roster_auth.hpp.
#include "handlers/roster_auth.hpp"

#include "handlers/roster_errors.hpp"
#include "server/digest.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

#include <spdlog/spdlog.h>

namespace bense::handlers {
namespace {

using server::Request;
using server::Response;

// The token of "Authorization: Bearer <token>"; "" when the header is missing or malformed.
std::string_view bearer_token(Request const& req) {
    auto const h = req.header(http::field::authorization);
    constexpr std::string_view kScheme = "Bearer ";
    if (h.size() <= kScheme.size() || !h.starts_with(kScheme) || h.size() > 200) {
        return {};
    }
    return h.substr(kScheme.size());
}

}  // namespace

std::string Caller::admin_scope() const {
    if (!token_id.empty()) {
        return "*";
    }
    if (!member || member->proxy || member->status != "active") {
        return {};
    }
    if (member->has_role("bureau")) {
        return "*";
    }
    if (member->has_role("secretary") || member->has_role("liaison")) {
        return member->branch;
    }
    return {};
}

std::string Caller::actor() const {
    if (!token_id.empty()) {
        return "token:" + token_id;
    }
    if (member && !member->proxy) {
        return "member:" + member->number;
    }
    return "wx:" + ident;
}

Acting Caller::acting(Request const& req, std::int64_t now) const {
    return Acting{actor(), req.remote_address, now, admin_scope()};
}

net::awaitable<result<Caller, Response>> authenticate(Request& req, RosterDeps const& deps) {
    auto const token = bearer_token(req);
    if (token.empty()) {
        co_return server::error_response(req, server::errc::unauthorized);
    }
    RosterStore store(req.worker->redis());
    Caller caller;
    auto const hash = server::sha256_hex(token);
    if (token.starts_with(kBureauTokenPrefix)) {
        // One native read, not a function call: the bureau's every request starts here, and
        // an FCALL costs Redis more than the HMGET inside it.
        server::RedisClient::Argv argv{"HMGET", std::string(kBureauTokenKeyPrefix) + hash, "id", "name"};
        auto [ec, reply] = co_await req.worker->redis().exec(std::move(argv));
        if (ec) {
            co_return store_error_response(req, StoreError{ec, {}});
        }
        if (reply.elements.size() != 2 || !reply.elements[0].text()) {
            co_return server::error_response(req, server::errc::unauthorized);
        }
        caller.token_id = std::string(*reply.elements[0].text());
        caller.token_name = std::string(reply.elements[1].text().value_or(""));
        co_return caller;
    }
    auto const ttl = std::chrono::duration_cast<std::chrono::milliseconds>(deps.config.session_ttl);
    auto r = co_await store.call("session_whoami", fcall_args(hash, std::to_string(ttl.count()),
                                                              std::to_string(deps.clock->now_seconds())));
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    caller.session_hash = hash;
    caller.ident = std::string((*r)[0].text().value_or(""));
    if (r->size() > 1) {
        caller.member = read_summary((*r)[1]);
    }
    co_return caller;
}

net::awaitable<result<Caller, Response>> authenticate_member(Request& req, RosterDeps const& deps) {
    auto caller = co_await authenticate(req, deps);
    if (caller && !caller->token_id.empty()) {
        co_return server::error_response(req, server::errc::forbidden);  // a bureau token is nobody's account
    }
    if (caller && !caller->member) {
        co_return server::error_response(req, error_row(roster_errc::not_bound));
    }
    co_return caller;
}

net::awaitable<result<Caller, Response>> authenticate_admin(Request& req, RosterDeps const& deps) {
    auto caller = co_await authenticate(req, deps);
    if (caller && caller->admin_scope().empty()) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    co_return caller;
}

std::string session_token_hash(Request const& req) {
    auto const token = bearer_token(req);
    if (token.empty() || token.starts_with(kBureauTokenPrefix)) {
        return {};
    }
    return server::sha256_hex(token);
}

std::string bureau_token_hash(Request const& req) {
    auto const token = bearer_token(req);
    if (!token.starts_with(kBureauTokenPrefix)) {
        return {};
    }
    return server::sha256_hex(token);
}

Response store_error_response(Request const& req, StoreError const& e) {
    auto const& row = roster_error_row(e.ec);
    if (e.ec.category() != roster_category()) {
        spdlog::log(row.status == http::status::service_unavailable ? spdlog::level::warn : spdlog::level::info,
                    "{} {}: {} {}", req.msg.method_string(), req.route, e.ec.message(), e.detail);
    }
    if (e.ec.category() == roster_category()) {
        if (auto p = roster_error_placeholder(static_cast<roster_errc>(e.ec.value())); !p.empty()) {
            return server::error_response(req.worker->templates(), row, {{std::string(p), e.detail}});
        }
    }
    return server::error_response(req, row);
}

Response field_error_response(Request const& req, std::string const& reason) {
    return server::error_response(req.worker->templates(), error_row(roster_errc::bad_field), {{"reason", reason}});
}

std::string new_token(RosterDeps const& deps) {
    // About one session token in 262 144 would start like a bureau token and be checked as one.
    for (;;) {
        auto token = server::base64url(deps.random(32));
        if (!token.starts_with(kBureauTokenPrefix)) {
            return token;
        }
    }
}

}  // namespace bense::handlers

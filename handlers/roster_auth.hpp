// Who is calling a roster route: a mini-program session (Authorization: Bearer <token>) of a
// WeChat user, bound to a member or not yet, or a bureau API token ("bt_..."). Only hashes of
// either are kept in Redis. Each function answers with the Response to return as is when the
// caller may not go on.
#pragma once

#include "handlers/roster_config.hpp"
#include "handlers/roster_store.hpp"
#include "server/http_types.hpp"

#include <optional>
#include <string>

namespace bense::handlers {

inline constexpr std::string_view kBureauTokenPrefix = "bt_";

struct Caller {
    std::string session_hash;  // a session's SHA-256; empty for a bureau token
    std::string ident;         // "mp:<openid>" for a session
    std::optional<MemberSummary> member;  // the member a session acts for, when bound
    std::string token_id;      // a bureau token's id
    std::string token_name;

    // "*" for the bureau (a bureau token or a member with the bureau role), the branch of a
    // secretary or liaison acting in person, "" for everyone else.
    std::string admin_scope() const;
    // The actor for the audit stream: "token:<id>", "member:<number>" or "wx:<ident>".
    std::string actor() const;
    Acting acting(server::Request const& req, std::int64_t now) const;
};

// Any caller with a valid session or token; 401 auth.unauthorized otherwise.
net::awaitable<result<Caller, server::Response>> authenticate(server::Request& req, RosterDeps const& deps);
// A session bound to a member; 403 member.not_bound for a session not bound yet, 401 as above.
net::awaitable<result<Caller, server::Response>> authenticate_member(server::Request& req, RosterDeps const& deps);
// A caller with an admin scope; 403 auth.forbidden otherwise.
net::awaitable<result<Caller, server::Response>> authenticate_admin(server::Request& req, RosterDeps const& deps);

// The SHA-256 of the request's session token, for a store function that finds the caller in
// the same step as its work; "" when the request carries none (no token, a malformed one, or
// a bureau token).
std::string session_token_hash(server::Request const& req);

// The SHA-256 of the request's bureau token, likewise; "" when it carries none.
std::string bureau_token_hash(server::Request const& req);

// The error envelope for a failed store call (the member's name fills bind.already).
server::Response store_error_response(server::Request const& req, StoreError const& e);
// 400 request.bad_field with the reason.
server::Response field_error_response(server::Request const& req, std::string const& reason);

// A new opaque token: 32 random bytes as base64url (43 characters).
std::string new_token(RosterDeps const& deps);

}  // namespace bense::handlers

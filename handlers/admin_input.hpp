// An admin caller with the JSON body they sent read by a parse_* function, in one step, for
// the admin routes whose body is one input: the request is refused as admin_json_request
// refuses it, or with 400 request.bad_field and the parse function's reason. Private to
// admin_*.cpp, like admin_support.hpp.
#pragma once

#include "handlers/admin_support.hpp"
#include "handlers/roster_auth.hpp"

#include <utility>

namespace bense::handlers::admin {

// An admin caller and what their request says.
template <class Input>
struct AdminInput {
    Acting acting;
    Input input;
};

// `parse(body) -> result<Input, FieldError>`; returns the caller and the input, or the
// response refusing the request.
template <class Input, class Parse>
net::awaitable<result<AdminInput<Input>, server::Response>> admin_input(Deps const& deps, server::Request& req,
                                                                      Parse parse) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto input = parse(request->body);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    co_return AdminInput<Input>{std::move(request->acting), std::move(*input)};
}

}  // namespace bense::handlers::admin

// Admin routes of members: list, create, read, change, delete, roles, transfer, binding codes
// and unbinding. See admin_routes.hpp.
#include "handlers/admin_routes.hpp"
#include "handlers/admin_support.hpp"
#include "handlers/roster_json.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

namespace bense::handlers {
namespace {

using namespace admin;
using server::Request;
using server::Response;

std::string number_of(Request const& req) { return std::string(req.param("number")); }

net::awaitable<Response> list_members(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto branch = req.query_param("branch").value_or("");
    if (req.route.ends_with("/members") && req.route.find("{id}") != std::string_view::npos) {
        branch = std::string(req.param("id"));
    }
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("member_list", fcall_args(acting->scope, branch));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return ok(list_json("members", *r, &member_json));
}

net::awaitable<Response> answer_member(Request& req, Acting const& acting, std::string const& number,
                                       http::status status = http::status::ok) {
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("member_get", fcall_args(acting.scope, number));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return server::json_response(status, member_json(read_fields(r->front())));
}

net::awaitable<Response> get_member(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    co_return co_await answer_member(req, *acting, number_of(req));
}

// Writes `fields` of a member through member_put and answers with the member.
net::awaitable<Response> write_member(Request& req, Acting const& acting, bool creating, std::string const& number,
                                      std::vector<std::string> const& fields) {
    std::vector<std::string> args{creating ? "create" : "update", number};
    args.insert(args.end(), fields.begin(), fields.end());
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("member_put", acting, std::move(args));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return co_await answer_member(req, acting, number, creating ? http::status::created : http::status::ok);
}

// POST (creating) or PATCH.
net::awaitable<Response> put_member(Deps deps, Request& req, bool creating) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto& acting = request->acting;
    auto& body = request->body;
    auto input = parse_member_input(body, creating, deps->config.phone_hash_secret);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    // Named, not a ?: inside the co_await: GCC 12 destroys such a temporary twice.
    auto const number = creating ? input->id : number_of(req);
    co_return co_await write_member(req, acting, creating, number, input->fields);
}

net::awaitable<Response> set_roles(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto& acting = request->acting;
    auto& body = request->body;
    auto roles = parse_roles_input(body);
    if (!roles) {
        co_return field_error_response(req, roles.error().reason);
    }
    co_return co_await write_member(req, acting, false, number_of(req), fcall_args("roles", *roles));
}

// One store function on the member named in the path, with `args` after its number; answers
// the member afterwards (or `done` when it is gone).
net::awaitable<Response> member_call(Request& req, Acting const& acting, std::string_view function,
                                     std::vector<std::string> args, std::string done = {}) {
    args.insert(args.begin(), number_of(req));
    RosterStore store(req.worker->redis());
    auto r = co_await store.call(function, acting, std::move(args));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    if (!done.empty()) {
        co_return ok(std::move(done));
    }
    co_return co_await answer_member(req, acting, number_of(req));
}

// DELETE of the member or of its bindings: nothing to read from the body.
net::awaitable<Response> member_action(Deps deps, Request& req, std::string_view function, std::string done) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    co_return co_await member_call(req, *acting, function, fcall_args(), std::move(done));
}

net::awaitable<Response> transfer(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto& acting = request->acting;
    auto& body = request->body;
    auto it = body.FindMember("branch");
    if (it == body.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) {
        co_return field_error_response(req, "请给出要转入的支部（branch）。");
    }
    auto moved = co_await member_call(req, acting, "transfer", fcall_args(it->value.GetString()), "{}");
    if (moved.result() != http::status::ok) {
        co_return moved;
    }
    // Answered as the bureau sees the member: a secretary who moved them out of the branch
    // may no longer read them, but should see where they went.
    Acting const reader{acting.actor, acting.origin, acting.now, "*"};
    co_return co_await answer_member(req, reader, number_of(req));
}

// {kind: "self" (default) | "proxy"}: a new code for one member (the old one stops working).
net::awaitable<Response> member_code(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto& acting = request->acting;
    auto& body = request->body;
    auto const kind = code_kind(body);
    if (!kind) {
        co_return field_error_response(req, std::string(kBadCodeKind));
    }
    std::vector<std::string> args{std::to_string(deps->config.code_ttl.count() * 1000), *kind, "0", "",
                                  number_of(req)};
    auto candidates = code_candidates(*deps, 8);
    args.insert(args.end(), candidates.begin(), candidates.end());
    RosterStore store(req.worker->redis());
    auto issued = co_await store.call("issue_codes", acting, std::move(args));
    if (auto f = failed(req, issued)) {
        co_return std::move(*f);
    }
    co_return ok(std::string(R"({"codes":)") + issued_codes_json(*issued) + "}");
}

}  // namespace

void add_admin_member_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    auto const m = std::string("/api/v1/admin/members/{number}");
    router.add({http::verb::get, "/api/v1/admin/members", [deps](Request& r) { return list_members(deps, r); }});
    router.add({http::verb::get, "/api/v1/admin/branches/{id}/members",
                [deps](Request& r) { return list_members(deps, r); }});
    router.add({http::verb::post, "/api/v1/admin/members", [deps](Request& r) { return put_member(deps, r, true); }});
    router.add({http::verb::get, m, [deps](Request& r) { return get_member(deps, r); }});
    router.add({http::verb::patch, m, [deps](Request& r) { return put_member(deps, r, false); }});
    router.add({http::verb::delete_, m,
                [deps](Request& r) { return member_action(deps, r, "member_delete", R"({"deleted":true})"); }});
    router.add({http::verb::put, m + "/roles", [deps](Request& r) { return set_roles(deps, r); }});
    router.add({http::verb::post, m + "/transfer", [deps](Request& r) { return transfer(deps, r); }});
    router.add({http::verb::post, m + "/binding-codes", [deps](Request& r) { return member_code(deps, r); }});
    router.add({http::verb::delete_, m + "/bindings", [deps](Request& r) { return member_action(deps, r, "unbind", {}); }});
}

}  // namespace bense::handlers

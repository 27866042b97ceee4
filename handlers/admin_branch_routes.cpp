// Admin routes of branches, the roster import and the audit stream. See admin_routes.hpp.
#include "handlers/admin_routes.hpp"
#include "handlers/admin_support.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_import.hpp"
#include "handlers/roster_json.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

#include <charconv>

namespace bense::handlers {
namespace {

using namespace admin;
using server::Request;
using server::Response;

// A roster file may hold a city's members many times over; 4 MiB is about 40 000 rows.
constexpr std::size_t kImportBodyLimit = 4 * 1024 * 1024;
constexpr std::size_t kAuditPage = 50;

net::awaitable<Response> list_branches(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("branch_list", fcall_args(acting->scope));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return ok(list_json("branches", *r, &branch_json));
}

// The branch as it now stands, for the answers of get, create and update.
net::awaitable<Response> answer_branch(Request& req, Acting const& acting, std::string const& id,
                                       http::status status = http::status::ok) {
    if (acting.scope != "*" && acting.scope != id) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("branch_get", fcall_args(id));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return server::json_response(status, branch_json(read_fields(r->front())));
}

net::awaitable<Response> get_branch(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    co_return co_await answer_branch(req, *acting, std::string(req.param("id")));
}

// POST (creating) or PATCH.
net::awaitable<Response> put_branch(Deps deps, Request& req, bool creating) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto& acting = request->acting;
    auto& body = request->body;
    auto input = parse_branch_input(body, creating);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    auto const id = creating ? input->id : std::string(req.param("id"));
    std::vector<std::string> args{creating ? "create" : "update", id};
    args.insert(args.end(), input->fields.begin(), input->fields.end());
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("branch_put", acting, std::move(args));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return co_await answer_branch(req, acting, id, creating ? http::status::created : http::status::ok);
}

net::awaitable<Response> delete_branch(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("branch_delete", *acting, fcall_args(std::string(req.param("id"))));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    co_return ok(std::string(R"({"deleted":true})"));
}

// {kind: "self" (default) | "proxy", reuse: true (default)}: codes for every active member
// of the branch not yet bound in person, to print and hand out at a meeting.
net::awaitable<Response> branch_codes(Deps deps, Request& req) {
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
    auto const reuse = !body.HasMember("reuse") || (body["reuse"].IsBool() && body["reuse"].GetBool());
    if (acting.scope != "*" && acting.scope != req.param("id")) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    RosterStore store(req.worker->redis());
    std::vector<std::string> args{std::to_string(deps->config.code_ttl.count() * 1000), *kind, reuse ? "1" : "0",
                                  std::string(req.param("id")), ""};
    auto r = co_await store.call("branch_get", fcall_args(std::string(req.param("id"))));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    auto const members = read_fields(r->front())["members"];
    std::size_t n = 0;
    std::from_chars(members.data(), members.data() + members.size(), n);
    auto candidates = code_candidates(*deps, 2 * n + 8);
    args.insert(args.end(), candidates.begin(), candidates.end());
    auto issued = co_await store.call("issue_codes", acting, std::move(args));
    if (auto f = failed(req, issued)) {
        co_return std::move(*f);
    }
    co_return ok(std::string(R"({"codes":)") + issued_codes_json(*issued) + "}");
}

// The body is the CSV file itself.
net::awaitable<Response> import(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    if (acting->scope != "*") {
        co_return server::error_response(req, server::errc::forbidden);
    }
    RosterStore store(req.worker->redis());
    auto report = co_await import_roster(store, *acting, req.msg.body(), deps->config.phone_hash_secret);
    if (!report) {
        auto const& problems = report.error().problems;
        if (problems.empty()) {
            co_return store_error_response(req, report.error().error);
        }
        auto const& row = error_row(roster_errc::import_invalid);
        auto const message = req.worker->templates().render(row.template_key, {{"count", std::to_string(problems.size())}});
        auto envelope = server::error_envelope(row.code, message);
        envelope.pop_back();  // the closing brace: the problems go beside the error
        co_return server::json_response(row.status, envelope + R"(,"problems":)" + problems_json(problems) + "}");
    }
    co_return ok(import_report_json(*report));
}

//------------------------------------------------------------------------------------------
// The audit stream, newest first: ?count=N (≤ 200) and ?before=<id> to page back.

std::string audit_entry_json(server::RedisReply const& entry) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    server::write_key(w, "id");
    server::write_string(w, entry.elements[0].text().value_or(""));
    auto const fields = read_fields(entry.elements[1]);
    for (auto const& [k, v] : fields) {
        server::write_key(w, k);
        if (k == "at") {
            std::int64_t at = 0;
            std::from_chars(v.data(), v.data() + v.size(), at);
            w.Int64(at);
        } else {
            server::write_string(w, v);
        }
    }
    w.EndObject();
    return buf.GetString();
}

net::awaitable<Response> audit(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    std::size_t count = kAuditPage;
    if (auto c = req.query_param("count")) {
        auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), count);
        if (ec != std::errc{} || p != c->data() + c->size() || count == 0 || count > 200) {
            co_return field_error_response(req, "count 应是1到200之间的数。");
        }
    }
    std::string end = "+";
    if (auto before = req.query_param("before")) {
        if (!is_stream_id(*before)) {
            co_return field_error_response(req, "before 应是审计记录的编号。");
        }
        end = "(" + *before;
    }
    // A branch sees only its own entries: read further back to fill the page.
    bool const mine_only = acting->scope != "*";
    server::RedisClient::Argv argv{"XREVRANGE", std::string(kRosterAuditKey), end, "-", "COUNT",
                                   std::to_string(mine_only ? count * 20 : count)};
    auto [ec, reply] = co_await req.worker->redis().exec(std::move(argv));
    if (ec) {
        co_return store_error_response(req, StoreError{ec, {}});
    }
    std::vector<std::string> items;
    for (auto const& entry : reply.elements) {
        if (items.size() == count || entry.elements.size() != 2) {
            break;
        }
        if (mine_only && read_fields(entry.elements[1])["branch"] != acting->scope) {
            continue;
        }
        items.push_back(audit_entry_json(entry));
    }
    co_return ok(std::string(R"({"entries":)") + json_array(items) + "}");
}

}  // namespace

void add_admin_branch_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    router.add({http::verb::get, "/api/v1/admin/branches", [deps](Request& r) { return list_branches(deps, r); }});
    router.add({http::verb::post, "/api/v1/admin/branches", [deps](Request& r) { return put_branch(deps, r, true); }});
    router.add({http::verb::get, "/api/v1/admin/branches/{id}", [deps](Request& r) { return get_branch(deps, r); }});
    router.add(
        {http::verb::patch, "/api/v1/admin/branches/{id}", [deps](Request& r) { return put_branch(deps, r, false); }});
    router.add(
        {http::verb::delete_, "/api/v1/admin/branches/{id}", [deps](Request& r) { return delete_branch(deps, r); }});
    router.add({http::verb::post, "/api/v1/admin/branches/{id}/binding-codes",
                [deps](Request& r) { return branch_codes(deps, r); }});
    router.add({http::verb::post, "/api/v1/admin/roster/import", [deps](Request& r) { return import(deps, r); }, {},
                kImportBodyLimit});
    router.add({http::verb::get, "/api/v1/admin/audit", [deps](Request& r) { return audit(deps, r); }});
}

void add_admin_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    add_admin_branch_routes(router, deps);
    add_admin_member_routes(router, deps);
    add_admin_points_routes(router, deps);
    add_admin_assessment_routes(router, std::move(deps));
}

}  // namespace bense::handlers

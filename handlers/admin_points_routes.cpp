// Admin routes of learning points: a branch's members and aggregate (every branch for the
// bureau), a member's ledger and its CSV export, manual awards and deductions, reversals,
// the secretary's decisions on pending entries, and the bureau's in-branch ranking setting.
// Scope is checked by the Redis functions, in the same step as the write: a secretary
// acting outside their branch gets 403 and the ledger is untouched.
#include "handlers/admin_routes.hpp"
#include "handlers/admin_support.hpp"
#include "handlers/points_batch.hpp"
#include "handlers/points_json.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/points_views.hpp"
#include "handlers/roster_errors.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

#include <charconv>
#include <optional>

namespace bense::handlers {
namespace {

using namespace admin;
using server::Request;
using server::Response;

constexpr int kDefaultPage = 50;

// The "year" query parameter, this Beijing year when absent.
result<int, Response> year_of(Request const& req, RosterDeps const& deps) {
    auto year = parse_year_param(req.query_param("year"), beijing_year(deps.clock->now_seconds()));
    if (!year) {
        return field_error_response(req, year.error().reason);
    }
    return *year;
}

// An admin caller and the year of the view.
struct AdminYear {
    Acting acting;
    int year = 0;
};
net::awaitable<result<AdminYear, Response>> admin_year(Request& req, RosterDeps const& deps) {
    auto acting = co_await admin_acting(req, deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto year = year_of(req, deps);
    if (!year) {
        co_return std::move(year.error());
    }
    co_return AdminYear{std::move(*acting), *year};
}

// 201 for a new entry, 200 for one that a repeated request had made already.
Response entry_response(AwardResult const& a) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    for (auto [k, v] : {std::pair<char const*, std::string const*>{"entry", &a.entry}, {"capped", &a.capped},
                        {"status", &a.status}}) {
        server::write_key(w, k);
        server::write_string(w, *v);
    }
    server::write_key(w, "points");
    w.Int64(a.points);
    server::write_key(w, "duplicate");
    w.Bool(a.duplicate);
    w.EndObject();
    return server::json_response(a.duplicate ? http::status::ok : http::status::created, buf.GetString());
}

net::awaitable<Response> all_branches(Deps deps, Request& req) {
    auto caller = co_await admin_year(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto all = co_await all_branch_points(req.worker->redis(), caller->acting.scope, caller->year);
    if (!all) {
        co_return store_error_response(req, all.error());
    }
    co_return ok(all_branch_points_json(*all, caller->year));
}

net::awaitable<Response> one_branch(Deps deps, Request& req) {
    auto caller = co_await admin_year(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto const branch = std::string(req.param("id"));
    auto b = co_await branch_points(req.worker->redis(), caller->acting.scope, branch, caller->year);
    if (!b) {
        co_return store_error_response(req, b.error());
    }
    co_return ok(branch_points_json(*b, caller->year));
}

net::awaitable<Response> ranking_setting(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto on = parse_ranking_input(request->body);
    if (!on) {
        co_return field_error_response(req, on.error().reason);
    }
    auto const branch = std::string(req.param("id"));
    auto r = co_await set_branch_ranking(req.worker->redis(), request->acting, branch, *on);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return ok(std::string(*on ? R"({"ranking":true})" : R"({"ranking":false})"));
}

net::awaitable<Response> pending(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto const branch = std::string(req.param("id"));
    auto p = co_await pending_entries(req.worker->redis(), acting->scope, branch);
    if (!p) {
        co_return store_error_response(req, p.error());
    }
    co_return ok(pending_json(branch, *p, deps->points));
}

// A member's ledger, a page at a time; the member must be in the caller's scope.
net::awaitable<Response> member_ledger(Deps deps, Request& req, bool as_csv) {
    auto caller = co_await admin_year(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto const& acting = caller->acting;
    int const year = caller->year;
    auto const number = std::string(req.param("number"));
    // The scope check is the roster's: a member outside it is refused before anything is read.
    RosterStore store(req.worker->redis());
    auto member = co_await store.call("member_get", fcall_args(acting.scope, number));
    if (auto f = failed(req, member)) {
        co_return std::move(*f);
    }
    if (as_csv) {
        auto h = co_await whole_ledger(req.worker->redis(), number, year);
        if (!h) {
            co_return store_error_response(req, h.error());
        }
        auto res = server::text_response(http::status::ok, ledger_csv(number, *h, deps->points),
                                         "text/csv; charset=utf-8");
        res.set(http::field::content_disposition, "attachment; filename=\"points-" + number + ".csv\"");
        co_return res;
    }
    int count = kDefaultPage;
    if (auto c = req.query_param("count")) {
        auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), count);
        if (ec != std::errc{} || p != c->data() + c->size() || count < 1 || count > 500) {
            co_return field_error_response(req, "count 应是1到500之间的数。");
        }
    }
    auto const before = req.query_param("before").value_or("");
    if (!before.empty() && !is_stream_id(before)) {
        co_return field_error_response(req, "before 应是积分记录的编号。");
    }
    auto h = co_await points_history(req.worker->redis(), number, year, before, count);
    if (!h) {
        co_return store_error_response(req, h.error());
    }
    co_return ok(points_history_json(*h, year, deps->points, true));
}

// A rule the service applies by itself (check-ins, lectures, votes): not given by hand.
bool awarded_by_system(PointsRule const* rule) {
    return rule != nullptr && !rule->amount_from_caller && !rule->needs_confirmation;
}

// The award a request asks for, by `actor` within `scope`; the one awarding is the
// confirmation that rules needing a secretary's ask for.
AwardRequest manual_award(Request const& req, AwardInput const& input, std::string actor, std::int64_t now,
                          std::string scope) {
    return AwardRequest{std::string(req.param("number")),
                        input.action,
                        "manual:" + input.request_id,
                        std::move(actor),
                        "",
                        input.reason,
                        now,
                        input.points,
                        std::move(scope),
                        true};
}

// The award of a bureau token with a body the award takes, the busiest admin write: the
// ledger's function finds the caller in the same call as the award, one call to Redis, not
// two. Anything else goes the way of every admin route, so that 401 and 403 still come
// before 400: nullopt.
net::awaitable<std::optional<Response>> give_as_bureau(Deps const& deps, Request& req) {
    auto token_hash = bureau_token_hash(req);
    if (token_hash.empty()) {
        co_return std::nullopt;
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::nullopt;
    }
    auto input = parse_award_input(*body);
    if (!input) {
        co_return std::nullopt;
    }
    if (awarded_by_system(deps->points.find(input->action))) {
        co_return std::nullopt;
    }
    auto const award_request = manual_award(req, *input, std::string(kBureauTokenActor) + token_hash,
                                            deps->clock->now_seconds(), "*");
    auto call = award_call(deps->points, award_request);
    if (!call) {
        co_return std::nullopt;
    }
    auto a = co_await send_award(req.worker->redis(), std::move(*call), req.worker->service<AwardBatcher>());
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    co_return entry_response(*a);
}

// Manual awards and deductions, and the rules that need a secretary's confirmation (the
// secretary awarding is the confirmation). Check-ins, lectures and votes are awarded by
// their own features, once per activity, lecture or vote: not here.
net::awaitable<Response> give(Deps deps, Request& req) {
    if (auto answered = co_await give_as_bureau(deps, req)) {
        co_return std::move(*answered);
    }
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto input = parse_award_input(request->body);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    auto const* rule = deps->points.find(input->action);
    if (awarded_by_system(rule)) {
        co_return field_error_response(req, "“" + rule->name + "”的积分由系统自动记录，不能在这里发放。");
    }
    auto const& acting = request->acting;
    auto const award_request = manual_award(req, *input, acting.actor, acting.now, acting.scope);
    auto a = co_await award(req.worker->redis(), deps->points, award_request, req.worker->service<AwardBatcher>());
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    co_return entry_response(*a);
}

// A change to the entry named in the path: the caller, and the body read by `parse`.
template <class Input>
struct EntryRequest {
    EntryChange change;
    Input input;
};

template <class Input, class Parse>
net::awaitable<result<EntryRequest<Input>, Response>> entry_request(Deps deps, Request& req, Parse parse) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto input = parse(request->body);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    if (!is_stream_id(req.param("entry"))) {
        co_return store_error_response(req, StoreError{roster_errc::points_entry_not_found, {}});
    }
    auto const& acting = request->acting;
    EntryChange change{std::string(req.param("number")), std::string(req.param("entry")), acting.actor, {},
                       acting.now, acting.scope};
    co_return EntryRequest<Input>{std::move(change), std::move(*input)};
}

net::awaitable<Response> reversal(Deps deps, Request& req) {
    auto r = co_await entry_request<std::string>(deps, req, &parse_reversal_input);
    if (!r) {
        co_return std::move(r.error());
    }
    r->change.reason = std::move(r->input);
    auto a = co_await reverse(req.worker->redis(), r->change);
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    co_return entry_response(*a);
}

net::awaitable<Response> decision(Deps deps, Request& req) {
    auto r = co_await entry_request<DecisionInput>(deps, req, &parse_decision_input);
    if (!r) {
        co_return std::move(r.error());
    }
    r->change.reason = r->input.reason;
    auto a = co_await decide(req.worker->redis(), deps->points, r->change, r->input.confirm);
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    co_return entry_response(*a);
}

}  // namespace

void add_admin_points_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    router.add({http::verb::get, "/api/v1/admin/points/branches", [deps](Request& r) { return all_branches(deps, r); }});
    router.add({http::verb::get, "/api/v1/admin/branches/{id}/points", [deps](Request& r) { return one_branch(deps, r); }});
    router.add({http::verb::put, "/api/v1/admin/branches/{id}/points/settings",
                [deps](Request& r) { return ranking_setting(deps, r); }});
    router.add({http::verb::get, "/api/v1/admin/branches/{id}/points/pending",
                [deps](Request& r) { return pending(deps, r); }});
    router.add({http::verb::get, "/api/v1/admin/members/{number}/points",
                [deps](Request& r) { return member_ledger(deps, r, false); }});
    router.add({http::verb::get, "/api/v1/admin/members/{number}/points/export",
                [deps](Request& r) { return member_ledger(deps, r, true); }});
    router.add({http::verb::post, "/api/v1/admin/members/{number}/points", [deps](Request& r) { return give(deps, r); }});
    router.add({http::verb::post, "/api/v1/admin/members/{number}/points/{entry}/reversal",
                [deps](Request& r) { return reversal(deps, r); }});
    router.add({http::verb::post, "/api/v1/admin/members/{number}/points/{entry}/decision",
                [deps](Request& r) { return decision(deps, r); }});
}

}  // namespace bense::handlers

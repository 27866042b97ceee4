// Admin routes of the branch half-year assessment (积分制考核): the bureau sees every branch,
// best score first, with the tier each qualifies for; a secretary sees their own branch. Every
// score comes with its parts. Also as CSV for Excel.
#include "handlers/admin_routes.hpp"
#include "handlers/admin_support.hpp"
#include "handlers/assessment_facts.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

namespace bense::handlers {
namespace {

using namespace admin;
using server::Request;
using server::Response;

// The "half" query parameter ("2026H2"), the current half-year when absent.
result<HalfYear, Response> half_of(Request const& req, RosterDeps const& deps) {
    auto text = req.query_param("half");
    if (!text) {
        return half_year_of(deps.clock->now_seconds());
    }
    auto half = parse_half_year(*text);
    if (!half) {
        return field_error_response(req, "half 应是半年，例如 2026H2（下半年）或 2026H1（上半年）。");
    }
    return *half;
}

std::string assessments_json(HalfYear const& half, std::vector<Assessment> const& all) {
    std::vector<std::string> items;
    items.reserve(all.size());
    for (auto const& a : all) {
        items.push_back(assessment_json(a));
    }
    return R"({"half":")" + half.label() + R"(","branches":)" + json_array(items) + "}";
}

// The branches a caller's assessment covers: every branch for the bureau, else their own.
net::awaitable<result<std::vector<std::string>, StoreError>> branches_of(Request& req, Acting const& acting) {
    if (acting.scope != "*") {
        co_return std::vector<std::string>{acting.scope};
    }
    co_return co_await all_branch_ids(req.worker->redis());
}

net::awaitable<Response> assessments(Deps deps, Request& req, bool as_csv) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto half = half_of(req, *deps);
    if (!half) {
        co_return std::move(half.error());
    }
    auto branches = co_await branches_of(req, *acting);
    if (!branches) {
        co_return store_error_response(req, branches.error());
    }
    auto all = co_await assess_branches(req.worker->redis(), deps->assessment, acting->scope, *half, acting->now,
                                        std::move(*branches));
    if (!all) {
        co_return store_error_response(req, all.error());
    }
    if (as_csv) {
        auto res = server::text_response(http::status::ok, assessment_csv(*all), "text/csv; charset=utf-8");
        res.set(http::field::content_disposition, "attachment; filename=\"assessment-" + half->label() + ".csv\"");
        co_return res;
    }
    co_return ok(assessments_json(*half, *all));
}

net::awaitable<Response> one_branch(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto half = half_of(req, *deps);
    if (!half) {
        co_return std::move(half.error());
    }
    auto branches = std::vector<std::string>{std::string(req.param("id"))};
    auto all = co_await assess_branches(req.worker->redis(), deps->assessment, acting->scope, *half, acting->now,
                                        std::move(branches));
    if (!all) {
        co_return store_error_response(req, all.error());
    }
    co_return ok(assessment_json(all->front()));
}

}  // namespace

void add_admin_assessment_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    router.add({http::verb::get, "/api/v1/admin/assessment", [deps](Request& r) { return assessments(deps, r, false); }});
    router.add({http::verb::get, "/api/v1/admin/assessment/export",
                [deps](Request& r) { return assessments(deps, r, true); }});
    router.add({http::verb::get, "/api/v1/admin/branches/{id}/assessment",
                [deps](Request& r) { return one_branch(deps, r); }});
}

}  // namespace bense::handlers

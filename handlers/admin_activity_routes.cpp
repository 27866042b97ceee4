// Admin routes of activities: creating, listing, changing, cancelling and recording them, the
// rotating 4-digit code and the scanned mini-program code, proxy check-ins, attendance per
// activity, per branch and month, and across branches for the bureau. A secretary or liaison
// acts in their own branch and reads the city-wide activities; the bureau acts everywhere.
// Scope is the store's to check, in the same step as the write; the reads here check it too
// so that a refusal is an answer before anything is asked of WeChat.
#include "handlers/activity_draft.hpp"
#include "handlers/activity_input.hpp"
#include "handlers/activity_json.hpp"
#include "handlers/activity_routes.hpp"
#include "handlers/activity_store.hpp"
#include "handlers/admin_input.hpp"
#include "handlers/admin_support.hpp"
#include "handlers/checkin.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/scene_code.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"
#include "wechat/api_services.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace bense::handlers {
namespace {

using namespace admin;
using server::Request;
using server::Response;

//------------------------------------------------------------------------------------------
// Scope and the store


// A secretary reads their branch's activities and the city-wide ones; changes only their own.
bool may_read(std::string const& scope, Activity const& a) { return scope == "*" || a.branch == scope || a.branch == "*"; }
bool may_manage(std::string const& scope, Activity const& a) { return scope == "*" || a.branch == scope; }

Response error_of(Request const& req, roster_errc e) { return server::error_response(req, error_row(e)); }
Response forbidden(Request const& req) { return server::error_response(req, server::errc::forbidden); }

// 200 with render(*r), or the envelope of the store's refusal.
template <class T, class Render>
Response answer(Request const& req, result<T, StoreError> const& r, Render render) {
    if (!r) {
        return store_error_response(req, r.error());
    }
    return ok(render(*r));
}

// The activity of the path, when the caller may read it (or manage it, with `manage`).
net::awaitable<result<Activity, Response>> activity_for(Request& req, Acting const& acting, bool manage) {
    auto a = co_await get_activity(req.worker->redis(), std::string(req.param("id")));
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    if (!(manage ? may_manage(acting.scope, *a) : may_read(acting.scope, *a))) {
        co_return forbidden(req);
    }
    co_return std::move(*a);
}

// The activity as it now stands, with `status`.
net::awaitable<Response> answer_activity(Request& req, std::string const& id, http::status status) {
    auto a = co_await get_activity(req.worker->redis(), id);
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    co_return server::json_response(status, activity_json(*a, ActivityView::admin));
}

// nullopt when the branch exists or is "*" (the city-wide activities); else 404
// branch.not_found, or the store's failure.
net::awaitable<std::optional<Response>> missing_branch(Request& req, std::string const& branch) {
    if (branch == "*") {
        co_return std::nullopt;
    }
    RosterStore store(req.worker->redis());
    auto b = co_await store.call("branch_get", fcall_args(branch));
    co_return failed(req, b);
}

// The ids of every branch, for the bureau's views across branches.
net::awaitable<result<std::vector<std::string>, Response>> all_branch_ids(Request& req) {
    RosterStore store(req.worker->redis());
    auto r = co_await store.call("branch_list", fcall_args(std::string("*")));
    if (auto f = failed(req, r)) {
        co_return std::move(*f);
    }
    std::vector<std::string> ids;
    for (auto const& view : *r) {
        ids.push_back(read_fields(view)["id"]);
    }
    co_return ids;
}

//------------------------------------------------------------------------------------------
// Reading the request

// The caller and the month of ?month=YYYY-MM (this Beijing month when absent), or the
// refusal; with `bureau_only`, 403 for anyone but the bureau before the month is read.
net::awaitable<result<AdminInput<MonthRange>, Response>> admin_month(Deps const& deps, Request& req, bool bureau_only) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    if (bureau_only && acting->scope != "*") {
        co_return forbidden(req);
    }
    auto month = parse_month_param(req.query_param("month"), acting->now);
    if (!month) {
        co_return field_error_response(req, month.error().reason);
    }
    co_return AdminInput<MonthRange>{std::move(*acting), std::move(*month)};
}

// A draft as checked, and the fields the store writes for it.
struct CheckedDraft {
    ActivityDraft draft;
    ActivityFields fields;
};

// `body` applied to `base` (see parse_activity_input) and checked at `now`, or 400 with why.
result<CheckedDraft, Response> checked_draft(Request const& req, RosterDeps const& deps, rapidjson::Value const& body,
                                             ActivityDraft base, bool creating, std::int64_t now) {
    auto draft = parse_activity_input(body, std::move(base), creating);
    if (!draft) {
        return field_error_response(req, draft.error().reason);
    }
    auto fields = activity_fields(*draft, deps.activities, now);
    if (!fields) {
        return field_error_response(req, fields.error().reason);
    }
    return CheckedDraft{std::move(*draft), std::move(*fields)};
}

// A check-in of `member` at activity `id` through `channel` (proxy or record), recorded as
// the admin acting for them.
CheckinRequest admin_checkin(Acting const& acting, std::string const& id, std::string const& member,
                             std::string channel) {
    CheckinRequest c;
    c.member = member;
    c.channel = std::move(channel);
    c.activity = id;
    c.by = acting.actor;
    c.acting_for = member;
    c.scope = acting.scope;
    return c;
}

// Why a record of `input` by `acting` is refused, or nullopt. Everything is checked before
// anything is written: the activity, and that each member listed is one of those expected at
// it (in the caller's scope).
std::optional<Response> record_refusal(Request const& req, Acting const& acting, Attendance const& before,
                                       RecordInput const& input) {
    if (!may_manage(acting.scope, before.activity)) {
        return forbidden(req);
    }
    if (before.activity.status == "cancelled") {
        return error_of(req, roster_errc::activity_cancelled);
    }
    if (acting.now < before.activity.start) {
        return error_of(req, roster_errc::activity_not_started);
    }
    auto const& rows = before.rows;
    for (auto const& number : input.attended) {
        if (std::none_of(rows.begin(), rows.end(), [&](AttendanceRow const& row) { return row.number == number; })) {
            return field_error_response(req, "编号 " + number + " 不是这个活动应到的党员，请核对。");
        }
    }
    return std::nullopt;
}

//------------------------------------------------------------------------------------------
// Activities

net::awaitable<Response> create(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto const& acting = request->acting;
    ActivityDraft base;
    if (acting.scope != "*") {
        base.branch = acting.scope;  // a secretary's activity is their branch's unless they say
    }
    auto checked = checked_draft(req, *deps, request->body, std::move(base), true, acting.now);
    if (!checked) {
        co_return std::move(checked.error());
    }
    auto const& branch = checked->draft.branch;
    // The store checks these too, but only after taking a new id: a refusal here takes none.
    if (acting.scope != "*" && branch != acting.scope) {
        co_return forbidden(req);
    }
    auto missing = co_await missing_branch(req, branch);
    if (missing) {
        co_return std::move(*missing);
    }
    auto id = co_await create_activity(req.worker->redis(), acting, std::move(checked->fields), new_activity_secret(deps->random));
    if (!id) {
        co_return store_error_response(req, id.error());
    }
    co_return co_await answer_activity(req, *id, http::status::created);
}

// ?branch= (one branch, or "*" for the city-wide ones) &month=YYYY-MM. Without a branch: a
// secretary's own and the city-wide ones, or for the bureau every branch's.
net::awaitable<Response> list(Deps deps, Request& req) {
    auto call = co_await admin_month(deps, req, false);
    if (!call) {
        co_return std::move(call.error());
    }
    auto const& scope = call->acting.scope;
    std::vector<std::string> branches;
    if (auto branch = req.query_param("branch")) {
        if (scope != "*" && *branch != scope && *branch != "*") {
            co_return forbidden(req);
        }
        auto missing = co_await missing_branch(req, *branch);
        if (missing) {
            co_return std::move(*missing);
        }
        branches.push_back(std::move(*branch));
    } else if (scope == "*") {
        auto ids = co_await all_branch_ids(req);
        if (!ids) {
            co_return std::move(ids.error());
        }
        branches = std::move(*ids);
        branches.emplace_back("*");
    } else {
        branches = fcall_args(scope, std::string("*"));
    }
    auto const& month = call->input;
    auto all = co_await list_activities(req.worker->redis(), month.from, month.to, "", std::move(branches));
    co_return answer(req, all, [](auto const& found) { return activities_json(found, ActivityView::admin); });
}

net::awaitable<Response> get(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto a = co_await activity_for(req, *acting, false);
    if (!a) {
        co_return std::move(a.error());
    }
    co_return ok(activity_json(*a, ActivityView::admin));
}

// The fields sent change the stored activity; the rest stays. Moving the start moves the
// whole activity; moving only the end moves a default check-in close with it.
net::awaitable<Response> change(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto const& acting = request->acting;
    auto stored = co_await activity_for(req, acting, true);
    if (!stored) {
        co_return std::move(stored.error());
    }
    if (stored->status == "cancelled") {
        co_return error_of(req, roster_errc::activity_cancelled);
    }
    auto base = draft_of(*stored);
    auto const& body = request->body;
    if (body.HasMember("end") && !body.HasMember("start") && !body.HasMember("closes") &&
        stored->closes - stored->end == deps->activities.closes_after.count()) {
        base.closes.reset();
    }
    auto checked = checked_draft(req, *deps, body, std::move(base), false, acting.now);
    if (!checked) {
        co_return std::move(checked.error());
    }
    auto r = co_await update_activity(req.worker->redis(), acting, stored->id, std::move(checked->fields));
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return co_await answer_activity(req, stored->id, http::status::ok);
}

// {"reason"}: members trying to check in are told it was cancelled; the records stay.
net::awaitable<Response> cancel(Deps deps, Request& req) {
    auto call = co_await admin_input<std::string>(deps, req, &parse_reason_input);
    if (!call) {
        co_return std::move(call.error());
    }
    auto const id = std::string(req.param("id"));
    auto r = co_await cancel_activity(req.worker->redis(), call->acting, id, call->input);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return co_await answer_activity(req, id, http::status::ok);
}

// {"summary", "attended": [numbers]}: the record afterwards (完善活动记录). Each member listed
// is checked in as "record" (acting for them) through check_in(), so their points come as
// for any check-in; members already checked in keep their record. Nobody is removed.
net::awaitable<Response> record(Deps deps, Request& req) {
    auto call = co_await admin_input<RecordInput>(deps, req, &parse_record_input);
    if (!call) {
        co_return std::move(call.error());
    }
    auto const& acting = call->acting;
    auto& redis = req.worker->redis();
    auto const id = std::string(req.param("id"));
    auto before = co_await activity_attendance(redis, acting.scope, id);
    if (!before) {
        co_return store_error_response(req, before.error());
    }
    if (auto refused = record_refusal(req, acting, *before, call->input)) {
        co_return std::move(*refused);
    }
    auto r = co_await record_activity(redis, acting, id, call->input.summary);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    for (auto const& number : call->input.attended) {
        auto const c = admin_checkin(acting, id, number, "record");
        auto done = co_await check_in(*deps, redis, c);
        if (!done) {
            co_return store_error_response(req, done.error());  // those before stay: a retry completes it
        }
    }
    auto after = co_await activity_attendance(redis, acting.scope, id);
    co_return answer(req, after, &attendance_json);
}

//------------------------------------------------------------------------------------------
// Check-in codes and proxy check-ins

net::awaitable<Response> code(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto c = co_await checkin_code(req.worker->redis(), acting->scope, std::string(req.param("id")), acting->now,
                                   deps->activities.code_period.count());
    co_return answer(req, c, &code_json);
}

// The scene of the activity's scanned code, when the caller runs it and it can still be used.
net::awaitable<result<std::string, Response>> scene_of(Deps const& deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto a = co_await activity_for(req, *acting, true);
    if (!a) {
        co_return std::move(a.error());
    }
    if (a->status == "cancelled") {
        co_return error_of(req, roster_errc::activity_cancelled);
    }
    if (acting->now > a->closes) {
        co_return error_of(req, roster_errc::checkin_closed);
    }
    co_return scene_for(deps->activities.scene_secret, a->id);
}

net::awaitable<Response> scene(Deps deps, Request& req) {
    auto s = co_await scene_of(deps, req);
    if (!s) {
        co_return std::move(s.error());
    }
    co_return ok(scene_json(*s, kCheckinPage));
}

// The mini-program code image (getwxacodeunlimit) to show or print.
net::awaitable<Response> qrcode(Deps deps, Request& req) {
    auto s = co_await scene_of(deps, req);
    if (!s) {
        co_return std::move(s.error());
    }
    auto* api = wechat::wechat_api(*req.worker);
    if (api == nullptr || !api->mp) {
        co_return error_of(req, roster_errc::checkin_qrcode_unavailable);
    }
    auto png = co_await api->mp->wxacode_unlimited(*s, std::string(kCheckinPage));
    if (!png) {
        spdlog::warn("{} {}: WeChat said {}", req.msg.method_string(), req.route, png.error().describe());
        co_return server::error_response(req, png.error().transport == server::errc::upstream_timeout
                                                  ? server::errc::upstream_timeout
                                                  : server::errc::upstream_unavailable);
    }
    auto res = server::text_response(http::status::ok, std::move(*png), "image/png");
    res.set(http::field::cache_control, "no-store");
    co_return res;
}

// {"member"}: a proxy check-in (代签) by the secretary, recorded as acting for the member.
net::awaitable<Response> proxy_checkin(Deps deps, Request& req) {
    auto call = co_await admin_input<std::string>(deps, req, &parse_proxy_input);
    if (!call) {
        co_return std::move(call.error());
    }
    auto const c = admin_checkin(call->acting, std::string(req.param("id")), call->input, "proxy");
    auto r = co_await check_in(*deps, req.worker->redis(), c);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return checkin_response(*r);
}

//------------------------------------------------------------------------------------------
// Attendance

net::awaitable<Response> attendance(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto a = co_await activity_attendance(req.worker->redis(), acting->scope, std::string(req.param("id")));
    co_return answer(req, a, &attendance_json);
}

net::awaitable<Response> branch_month(Deps deps, Request& req) {
    auto call = co_await admin_month(deps, req, false);
    if (!call) {
        co_return std::move(call.error());
    }
    auto const& month = call->input;
    auto m = co_await branch_months(req.worker->redis(), call->acting.scope, month.from, month.to,
                                    fcall_args(std::string(req.param("id"))));
    if (!m) {
        co_return store_error_response(req, m.error());
    }
    if (m->empty()) {
        co_return error_of(req, roster_errc::branch_not_found);
    }
    co_return ok(branch_month_json(month, m->front(), call->acting.now));
}

// Every branch's month, for the bureau: rates of branches, never a ranking of people.
net::awaitable<Response> all_months(Deps deps, Request& req) {
    auto call = co_await admin_month(deps, req, true);
    if (!call) {
        co_return std::move(call.error());
    }
    auto ids = co_await all_branch_ids(req);
    if (!ids) {
        co_return std::move(ids.error());
    }
    auto const& month = call->input;
    auto m = co_await branch_months(req.worker->redis(), "*", month.from, month.to, std::move(*ids));
    co_return answer(req, m, [&](auto const& all) { return all_months_json(month, all, call->acting.now); });
}

}  // namespace

void add_admin_activity_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    using http::verb;
    auto with_deps = [&deps](auto handler) { return [deps, handler](Request& r) { return handler(deps, r); }; };
    auto const one = std::string("/api/v1/admin/activities/{id}");
    router.add({verb::post, "/api/v1/admin/activities", with_deps(&create)});
    router.add({verb::get, "/api/v1/admin/activities", with_deps(&list)});
    router.add({verb::get, one, with_deps(&get)});
    router.add({verb::patch, one, with_deps(&change)});
    router.add({verb::post, one + "/cancel", with_deps(&cancel)});
    router.add({verb::put, one + "/record", with_deps(&record)});
    router.add({verb::get, one + "/code", with_deps(&code)});
    router.add({verb::get, one + "/scene", with_deps(&scene)});
    router.add({verb::get, one + "/qrcode", with_deps(&qrcode)});
    router.add({verb::post, one + "/checkins", with_deps(&proxy_checkin)});
    router.add({verb::get, one + "/attendance", with_deps(&attendance)});
    router.add({verb::get, "/api/v1/admin/branches/{id}/attendance", with_deps(&branch_month)});
    router.add({verb::get, "/api/v1/admin/attendance", with_deps(&all_months)});
}

}  // namespace bense::handlers

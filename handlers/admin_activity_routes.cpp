// Admin routes of activities: creating, listing, changing, cancelling and recording them, the
// rotating 4-digit code and the scanned mini-program code, proxy check-ins, attendance per
// activity, per branch and month, and across branches for the bureau. A secretary or liaison
// acts in their own branch and reads the city-wide activities; the bureau acts everywhere.
// Scope is the store's to check, in the same step as the write; the reads here check it too
// so that a refusal is an answer before anything is asked of WeChat.
#include "handlers/activity_json.hpp"
#include "handlers/activity_routes.hpp"
#include "handlers/activity_draft.hpp"
#include "handlers/activity_store.hpp"
#include "handlers/admin_support.hpp"
#include "handlers/checkin.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/scene_code.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"
#include "wechat/api_services.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace bense::handlers {
namespace {

using namespace admin;
using server::Request;
using server::Response;

// The key of the rotating code: 16 random bytes, as hex.
std::string new_secret(RosterDeps const& deps) {
    static constexpr char kHex[] = "0123456789abcdef";
    auto const bytes = deps.random(16);
    std::string out;
    out.reserve(2 * bytes.size());
    for (unsigned char c : bytes) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    return out;
}

// A secretary reads their branch's activities and the city-wide ones; changes only their own.
bool may_read(std::string const& scope, Activity const& a) { return scope == "*" || a.branch == scope || a.branch == "*"; }
bool may_manage(std::string const& scope, Activity const& a) { return scope == "*" || a.branch == scope; }

Response error_of(Request const& req, roster_errc e) { return server::error_response(req, error_row(e)); }

// The activity of the path, when the caller may read it (or manage it, with `manage`).
net::awaitable<result<Activity, Response>> activity_for(Request& req, Acting const& acting, bool manage) {
    auto a = co_await get_activity(req.worker->redis(), std::string(req.param("id")));
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    if (!(manage ? may_manage(acting.scope, *a) : may_read(acting.scope, *a))) {
        co_return server::error_response(req, server::errc::forbidden);
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

result<MonthRange, Response> month_of(Request const& req, std::int64_t now) {
    auto month = parse_month_param(req.query_param("month"), now);
    if (!month) {
        return field_error_response(req, month.error().reason);
    }
    return std::move(*month);
}

Response checkin_response(CheckinResult const& r) {
    return server::json_response(r.record.already ? http::status::ok : http::status::created, checkin_json(r));
}

//------------------------------------------------------------------------------------------

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
    auto draft = parse_activity_input(request->body, std::move(base), true);
    if (!draft) {
        co_return field_error_response(req, draft.error().reason);
    }
    auto fields = activity_fields(*draft, deps->activities, acting.now);
    if (!fields) {
        co_return field_error_response(req, fields.error().reason);
    }
    // The store checks these too, but only after taking a new id: a refusal here takes none.
    if (acting.scope != "*" && draft->branch != acting.scope) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    if (draft->branch != "*") {
        RosterStore store(req.worker->redis());
        auto b = co_await store.call("branch_get", fcall_args(draft->branch));
        if (auto f = failed(req, b)) {
            co_return std::move(*f);
        }
    }
    auto id = co_await create_activity(req.worker->redis(), acting, std::move(*fields), new_secret(*deps));
    if (!id) {
        co_return store_error_response(req, id.error());
    }
    co_return co_await answer_activity(req, *id, http::status::created);
}

// ?branch= (one branch, or "*" for the city-wide ones) &month=YYYY-MM. Without a branch: a
// secretary's own and the city-wide ones, or for the bureau every branch's.
net::awaitable<Response> list(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto month = month_of(req, acting->now);
    if (!month) {
        co_return std::move(month.error());
    }
    std::vector<std::string> branches;
    if (auto branch = req.query_param("branch")) {
        if (acting->scope != "*" && *branch != acting->scope && *branch != "*") {
            co_return server::error_response(req, server::errc::forbidden);
        }
        if (*branch != "*") {
            RosterStore store(req.worker->redis());
            auto b = co_await store.call("branch_get", fcall_args(*branch));
            if (auto f = failed(req, b)) {
                co_return std::move(*f);
            }
        }
        branches.push_back(std::move(*branch));
    } else if (acting->scope == "*") {
        auto ids = co_await all_branch_ids(req);
        if (!ids) {
            co_return std::move(ids.error());
        }
        branches = std::move(*ids);
        branches.emplace_back("*");
    } else {
        branches = fcall_args(acting->scope, std::string("*"));
    }
    auto all = co_await list_activities(req.worker->redis(), month->from, month->to, "", std::move(branches));
    if (!all) {
        co_return store_error_response(req, all.error());
    }
    co_return ok(activities_json(*all, ActivityView::admin));
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
    auto draft = parse_activity_input(body, std::move(base), false);
    if (!draft) {
        co_return field_error_response(req, draft.error().reason);
    }
    auto fields = activity_fields(*draft, deps->activities, acting.now);
    if (!fields) {
        co_return field_error_response(req, fields.error().reason);
    }
    auto const id = stored->id;
    auto r = co_await update_activity(req.worker->redis(), acting, id, std::move(*fields));
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return co_await answer_activity(req, id, http::status::ok);
}

// {"reason"}: members trying to check in are told it was cancelled; the records stay.
net::awaitable<Response> cancel(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto reason = parse_reason_input(request->body);
    if (!reason) {
        co_return field_error_response(req, reason.error().reason);
    }
    auto const id = std::string(req.param("id"));
    auto r = co_await cancel_activity(req.worker->redis(), request->acting, id, *reason);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return co_await answer_activity(req, id, http::status::ok);
}

// {"summary", "attended": [numbers]}: the record afterwards (完善活动记录). Each member listed
// is checked in as "record" (acting for them) through check_in(), so their points come as
// for any check-in; members already checked in keep their record. Nobody is removed.
net::awaitable<Response> record(Deps deps, Request& req) {
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto input = parse_record_input(request->body);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    auto const& acting = request->acting;
    auto& redis = req.worker->redis();
    auto const id = std::string(req.param("id"));
    // Everything is checked before anything is written: the activity, and that each member
    // listed is one of those expected at it (in the caller's scope).
    auto before = co_await activity_attendance(redis, acting.scope, id);
    if (!before) {
        co_return store_error_response(req, before.error());
    }
    if (!may_manage(acting.scope, before->activity)) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    if (before->activity.status == "cancelled") {
        co_return error_of(req, roster_errc::activity_cancelled);
    }
    if (acting.now < before->activity.start) {
        co_return error_of(req, roster_errc::activity_not_started);
    }
    for (auto const& number : input->attended) {
        auto const& rows = before->rows;
        if (std::none_of(rows.begin(), rows.end(), [&](AttendanceRow const& row) { return row.number == number; })) {
            co_return field_error_response(req, "编号 " + number + " 不是这个活动应到的党员，请核对。");
        }
    }
    auto r = co_await record_activity(redis, acting, id, input->summary);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    for (auto const& number : input->attended) {
        CheckinRequest c;
        c.member = number;
        c.channel = "record";
        c.activity = id;
        c.by = acting.actor;
        c.acting_for = number;
        c.scope = acting.scope;
        auto done = co_await check_in(*deps, redis, c);
        if (!done) {
            co_return store_error_response(req, done.error());  // those before stay: a retry completes it
        }
    }
    auto after = co_await activity_attendance(redis, acting.scope, id);
    if (!after) {
        co_return store_error_response(req, after.error());
    }
    co_return ok(attendance_json(*after));
}

net::awaitable<Response> code(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto c = co_await checkin_code(req.worker->redis(), acting->scope, std::string(req.param("id")), acting->now,
                                   deps->activities.code_period.count());
    if (!c) {
        co_return store_error_response(req, c.error());
    }
    co_return ok(code_json(*c));
}

// The scene of the activity's scanned code, when the caller runs it and it can still be used.
net::awaitable<result<std::string, Response>> scene_of(Deps const& deps, Request& req, Acting const& acting) {
    auto a = co_await activity_for(req, acting, true);
    if (!a) {
        co_return std::move(a.error());
    }
    if (a->status == "cancelled") {
        co_return error_of(req, roster_errc::activity_cancelled);
    }
    if (acting.now > a->closes) {
        co_return error_of(req, roster_errc::checkin_closed);
    }
    co_return scene_for(deps->activities.scene_secret, a->id);
}

net::awaitable<Response> scene(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto s = co_await scene_of(deps, req, *acting);
    if (!s) {
        co_return std::move(s.error());
    }
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    server::write_key(w, "scene");
    server::write_string(w, *s);
    server::write_key(w, "page");
    server::write_string(w, kCheckinPage);
    w.EndObject();
    co_return ok(buf.GetString());
}

// The mini-program code image (getwxacodeunlimit) to show or print.
net::awaitable<Response> qrcode(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto s = co_await scene_of(deps, req, *acting);
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
    auto request = co_await admin_json_request(req, *deps);
    if (!request) {
        co_return std::move(request.error());
    }
    auto member = parse_proxy_input(request->body);
    if (!member) {
        co_return field_error_response(req, member.error().reason);
    }
    auto const& acting = request->acting;
    CheckinRequest c;
    c.member = *member;
    c.channel = "proxy";
    c.activity = std::string(req.param("id"));
    c.by = acting.actor;
    c.acting_for = *member;
    c.scope = acting.scope;
    auto r = co_await check_in(*deps, req.worker->redis(), c);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return checkin_response(*r);
}

net::awaitable<Response> attendance(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto a = co_await activity_attendance(req.worker->redis(), acting->scope, std::string(req.param("id")));
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    co_return ok(attendance_json(*a));
}

net::awaitable<Response> branch_month(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    auto month = month_of(req, acting->now);
    if (!month) {
        co_return std::move(month.error());
    }
    auto m = co_await branch_months(req.worker->redis(), acting->scope, month->from, month->to,
                                    fcall_args(std::string(req.param("id"))));
    if (!m) {
        co_return store_error_response(req, m.error());
    }
    if (m->empty()) {
        co_return error_of(req, roster_errc::branch_not_found);
    }
    co_return ok(branch_month_json(*month, m->front(), acting->now));
}

// Every branch's month, for the bureau: rates of branches, never a ranking of people.
net::awaitable<Response> all_months(Deps deps, Request& req) {
    auto acting = co_await admin_acting(req, *deps);
    if (!acting) {
        co_return std::move(acting.error());
    }
    if (acting->scope != "*") {
        co_return server::error_response(req, server::errc::forbidden);
    }
    auto month = month_of(req, acting->now);
    if (!month) {
        co_return std::move(month.error());
    }
    auto ids = co_await all_branch_ids(req);
    if (!ids) {
        co_return std::move(ids.error());
    }
    auto m = co_await branch_months(req.worker->redis(), "*", month->from, month->to, std::move(*ids));
    if (!m) {
        co_return store_error_response(req, m.error());
    }
    co_return ok(all_months_json(*month, *m, acting->now));
}

}  // namespace

void add_admin_activity_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    using http::verb;
    constexpr std::string_view one = "/api/v1/admin/activities/{id}";
    auto at = [&](std::string_view tail) { return std::string(one) + std::string(tail); };
    router.add({verb::post, "/api/v1/admin/activities", [deps](Request& r) { return create(deps, r); }});
    router.add({verb::get, "/api/v1/admin/activities", [deps](Request& r) { return list(deps, r); }});
    router.add({verb::get, at(""), [deps](Request& r) { return get(deps, r); }});
    router.add({verb::patch, at(""), [deps](Request& r) { return change(deps, r); }});
    router.add({verb::post, at("/cancel"), [deps](Request& r) { return cancel(deps, r); }});
    router.add({verb::put, at("/record"), [deps](Request& r) { return record(deps, r); }});
    router.add({verb::get, at("/code"), [deps](Request& r) { return code(deps, r); }});
    router.add({verb::get, at("/scene"), [deps](Request& r) { return scene(deps, r); }});
    router.add({verb::get, at("/qrcode"), [deps](Request& r) { return qrcode(deps, r); }});
    router.add({verb::post, at("/checkins"), [deps](Request& r) { return proxy_checkin(deps, r); }});
    router.add({verb::get, at("/attendance"), [deps](Request& r) { return attendance(deps, r); }});
    router.add({verb::get, "/api/v1/admin/branches/{id}/attendance", [deps](Request& r) { return branch_month(deps, r); }});
    router.add({verb::get, "/api/v1/admin/attendance", [deps](Request& r) { return all_months(deps, r); }});
}

}  // namespace bense::handlers

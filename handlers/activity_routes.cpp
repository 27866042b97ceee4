// See activity_routes.hpp. The member routes: GET /api/v1/activities, GET
// /api/v1/activities/{id}, POST /api/v1/checkins, POST /api/v1/activities/{id}/leave, GET
// /api/v1/me/attendance. A family proxy acts for the member it is bound to: the record says
// who acted (wx:mp:<openid>) and for whom.
#include "handlers/activity_routes.hpp"

#include "handlers/activity_json.hpp"
#include "handlers/activity_store.hpp"
#include "handlers/checkin.hpp"
#include "handlers/roster_auth.hpp"
#include "server/json.hpp"
#include "server/response.hpp"
#include "server/worker.hpp"

namespace bense::handlers {
namespace {

using server::Request;
using server::Response;
using Deps = std::shared_ptr<RosterDeps const>;

// How far ahead a member's list looks, and how far back for an activity still open: the
// longest one (three days) with the widest window after it (one day), and a day to spare.
constexpr std::int64_t kAhead = 60 * 86400;
constexpr std::int64_t kBehind = 5 * 86400;

// Who acts for whom: the member in person, or a family member for them.
struct Actor {
    std::string by;
    std::string acting_for;
};
Actor actor_of(Caller const& caller) {
    return {caller.actor(), caller.member->proxy ? caller.member->number : std::string()};
}

bool member_may_see(MemberSummary const& m, Activity const& a) { return a.branch == "*" || a.branch == m.branch; }

net::awaitable<Response> upcoming(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto const now = deps->clock->now_seconds();
    auto const& m = *caller->member;
    auto list = co_await list_activities(req.worker->redis(), now - kBehind, now + kAhead, m.number,
                                         fcall_args(m.branch, std::string("*")));
    if (!list) {
        co_return store_error_response(req, list.error());
    }
    std::erase_if(*list, [&](Activity const& a) { return a.closes < now; });
    co_return server::json_response(http::status::ok, activities_json(*list, ActivityView::member));
}

net::awaitable<Response> one(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto& redis = req.worker->redis();
    auto const id = std::string(req.param("id"));
    auto a = co_await get_activity(redis, id);
    if (!a) {
        co_return store_error_response(req, a.error());
    }
    auto const& m = *caller->member;
    if (!member_may_see(m, *a)) {
        co_return server::error_response(req, server::errc::forbidden);
    }
    // The member's own state comes with the list function's view of it.
    auto mine = co_await list_activities(redis, a->start, a->start, m.number, fcall_args(a->branch));
    if (!mine) {
        co_return store_error_response(req, mine.error());
    }
    for (auto& x : *mine) {
        if (x.id == id) {
            a->mine = std::move(x.mine);
            a->mine_at = x.mine_at;
        }
    }
    co_return server::json_response(http::status::ok, activity_json(*a, ActivityView::member));
}

// 201 for a new record, 200 when the member had checked in before (nothing changed).
Response checkin_response(CheckinResult const& r) {
    return server::json_response(r.record.already ? http::status::ok : http::status::created, checkin_json(r));
}

net::awaitable<Response> checkin(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto input = parse_checkin_input(*body);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    auto actor = actor_of(*caller);
    CheckinRequest request;
    request.member = caller->member->number;
    request.channel = input->channel;
    request.activity = std::move(input->activity);
    request.code = std::move(input->code);
    request.scene = std::move(input->scene);
    request.lat = input->lat;
    request.lng = input->lng;
    request.by = std::move(actor.by);
    request.acting_for = std::move(actor.acting_for);
    auto r = co_await check_in(*deps, req.worker->redis(), request);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return checkin_response(*r);
}

net::awaitable<Response> leave(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto reason = parse_reason_input(*body);
    if (!reason) {
        co_return field_error_response(req, reason.error().reason);
    }
    auto actor = actor_of(*caller);
    LeaveCall call{deps->clock->now_seconds(), caller->member->number, std::string(req.param("id")),
                   std::move(*reason), std::move(actor.by), std::move(actor.acting_for)};
    auto r = co_await store_leave(req.worker->redis(), call);
    if (!r) {
        co_return store_error_response(req, r.error());
    }
    co_return server::json_response(r->updated ? http::status::ok : http::status::created, leave_json(*r));
}

net::awaitable<Response> my_attendance(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto const now = deps->clock->now_seconds();
    auto month = parse_month_param(req.query_param("month"), now);
    if (!month) {
        co_return field_error_response(req, month.error().reason);
    }
    auto const& m = *caller->member;
    auto list = co_await list_activities(req.worker->redis(), month->from, month->to, m.number,
                                         fcall_args(m.branch, std::string("*")));
    if (!list) {
        co_return store_error_response(req, list.error());
    }
    co_return server::json_response(http::status::ok, my_attendance_json(*month, *list, now));
}

}  // namespace

void add_activity_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    router.add({http::verb::get, "/api/v1/activities", [deps](Request& r) { return upcoming(deps, r); }});
    router.add({http::verb::get, "/api/v1/activities/{id}", [deps](Request& r) { return one(deps, r); }});
    router.add({http::verb::post, "/api/v1/checkins", [deps](Request& r) { return checkin(deps, r); }});
    router.add({http::verb::post, "/api/v1/activities/{id}/leave", [deps](Request& r) { return leave(deps, r); }});
    router.add({http::verb::get, "/api/v1/me/attendance", [deps](Request& r) { return my_attendance(deps, r); }});
    add_admin_activity_routes(router, std::move(deps));
}

}  // namespace bense::handlers

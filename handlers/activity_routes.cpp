// See activity_routes.hpp. The member routes: GET /api/v1/activities, GET
// /api/v1/activities/{id}, POST /api/v1/checkins, POST /api/v1/activities/{id}/leave, GET
// /api/v1/me/attendance. A family proxy acts for the member it is bound to: the record says
// who acted (wx:mp:<openid>) and for whom.
#include "handlers/activity_routes.hpp"

#include "handlers/activity_input.hpp"
#include "handlers/activity_json.hpp"
#include "handlers/activity_store.hpp"
#include "handlers/checkin.hpp"
#include "handlers/roster_auth.hpp"
#include "handlers/roster_errors.hpp"
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

// The activities of the member's branch and the city-wide ones starting in [from, to], each
// with the member's own state: what a member may see of a span of time.
net::awaitable<result<std::vector<Activity>, StoreError>> member_activities(Request& req, MemberSummary const& m,
                                                                           std::int64_t from, std::int64_t to) {
    co_return co_await list_activities(req.worker->redis(), from, to, m.number, fcall_args(m.branch, std::string("*")));
}

// The member calling and the JSON body they sent, read by `parse`.
template <class Input>
struct MemberInput {
    Caller caller;
    Input input;
};

// The same, or the response refusing the request: not a member, no JSON object, or a field
// `parse` refuses (400 with its reason).
template <class Input, class Parse>
net::awaitable<result<MemberInput<Input>, Response>> member_input(Deps const& deps, Request& req, Parse parse) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return std::move(body.error());
    }
    auto input = parse(*body);
    if (!input) {
        co_return field_error_response(req, input.error().reason);
    }
    co_return MemberInput<Input>{std::move(*caller), std::move(*input)};
}

net::awaitable<Response> upcoming(Deps deps, Request& req) {
    auto caller = co_await authenticate_member(req, *deps);
    if (!caller) {
        co_return std::move(caller.error());
    }
    auto const now = deps->clock->now_seconds();
    auto const& m = *caller->member;
    auto list = co_await member_activities(req, m, now - kBehind, now + kAhead);
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

CheckinRequest checkin_request(CheckinInput&& input) {
    CheckinRequest request;
    request.channel = std::move(input.channel);
    request.activity = std::move(input.activity);
    request.code = std::move(input.code);
    request.scene = std::move(input.scene);
    request.lat = input.lat;
    request.lng = input.lng;
    return request;
}

Response checkin_answer(Request const& req, result<CheckinResult, StoreError> const& r) {
    return r ? checkin_response(*r) : store_error_response(req, r.error());
}

// The caller looked up first, then the check-in: for a request the fast path below leaves,
// so that it is refused just as every member route refuses it (401 before 400).
net::awaitable<Response> checkin_as_caller(Deps deps, Request& req) {
    auto call = co_await member_input<CheckinInput>(deps, req, &parse_checkin_input);
    if (!call) {
        co_return std::move(call.error());
    }
    auto actor = actor_of(call->caller);
    auto request = checkin_request(std::move(call->input));
    request.member = call->caller.member->number;
    request.by = std::move(actor.by);
    request.acting_for = std::move(actor.acting_for);
    auto r = co_await check_in(*deps, req.worker->redis(), request);
    co_return checkin_answer(req, r);
}

// A member's tap with a session and a good body, the busiest request of a Party day: the
// store finds the caller in the same step as the check-in, one call to Redis, not two.
net::awaitable<Response> checkin(Deps deps, Request& req) {
    auto session = session_token_hash(req);
    if (session.empty()) {
        co_return co_await checkin_as_caller(std::move(deps), req);
    }
    auto body = server::read_json_object(req);
    if (!body) {
        co_return co_await checkin_as_caller(std::move(deps), req);
    }
    auto input = parse_checkin_input(*body);
    if (!input) {
        co_return co_await checkin_as_caller(std::move(deps), req);
    }
    auto request = checkin_request(std::move(*input));
    request.session_hash = std::move(session);
    auto r = co_await check_in(*deps, req.worker->redis(), request, req.worker->service<CheckinBatcher>());
    if (!r && r.error().ec == roster_errc::checkin_scene_invalid) {
        // A scanned code that is none is refused before the store, and so the caller, is
        // asked: the old way answers it after the caller (401 for nobody).
        co_return co_await checkin_as_caller(std::move(deps), req);
    }
    co_return checkin_answer(req, r);
}

net::awaitable<Response> leave(Deps deps, Request& req) {
    auto call = co_await member_input<std::string>(deps, req, &parse_reason_input);
    if (!call) {
        co_return std::move(call.error());
    }
    auto actor = actor_of(call->caller);
    LeaveCall leave{deps->clock->now_seconds(), call->caller.member->number, std::string(req.param("id")),
                    std::move(call->input), std::move(actor.by), std::move(actor.acting_for)};
    auto r = co_await store_leave(req.worker->redis(), leave);
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
    auto list = co_await member_activities(req, m, month->from, month->to);
    if (!list) {
        co_return store_error_response(req, list.error());
    }
    co_return server::json_response(http::status::ok, my_attendance_json(*month, *list, now));
}

}  // namespace

void add_activity_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps) {
    auto with_deps = [&deps](auto handler) { return [deps, handler](Request& r) { return handler(deps, r); }; };
    router.add({http::verb::get, "/api/v1/activities", with_deps(&upcoming)});
    router.add({http::verb::get, "/api/v1/activities/{id}", with_deps(&one)});
    router.add({http::verb::post, "/api/v1/checkins", with_deps(&checkin)});
    router.add({http::verb::post, "/api/v1/activities/{id}/leave", with_deps(&leave)});
    router.add({http::verb::get, "/api/v1/me/attendance", with_deps(&my_attendance)});
    add_admin_activity_routes(router, std::move(deps));
}

}  // namespace bense::handlers

// See checkin.hpp.
#include "handlers/checkin.hpp"

#include "handlers/activity_types.hpp"
#include "handlers/beijing_time.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/scene_code.hpp"

#include <charconv>

namespace bense::handlers {

std::string_view checkin_points_action(std::string_view type) {
    auto t = find_activity_type(type);
    return t ? t->points : std::string_view("checkin.other");
}

net::awaitable<result<CheckinResult, StoreError>> check_in(RosterDeps const& deps, server::RedisClient& redis,
                                                           CheckinRequest const& request, CheckinBatcher* batcher) {
    CheckinCall call;
    call.now = deps.clock->now_seconds();
    call.member = request.member;
    call.channel = request.channel;
    call.activity = request.activity;
    call.code = request.code;
    call.lat = request.lat;
    call.lng = request.lng;
    call.by = request.by;
    call.acting_for = request.acting_for;
    call.scope = request.scope;
    call.period = deps.activities.code_period.count();
    call.grace = deps.activities.code_grace.count();
    call.max_failures = deps.activities.max_code_failures;
    call.rules_version = deps.points.version;
    call.rules = deps.checkin_rules;
    call.session_hash = request.session_hash;
    call.session_ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deps.config.session_ttl).count();
    if (request.channel == "scene") {
        auto activity = activity_of_scene(deps.activities.scene_secret, request.scene);
        if (!activity) {
            co_return StoreError{roster_errc::checkin_scene_invalid, {}};
        }
        call.activity = std::move(*activity);
    }
    auto const now = call.now;
    result<CheckinResult, StoreError> done = StoreError{};
    if (batcher != nullptr && !call.session_hash.empty()) {
        done = co_await batcher->check_in(call);
    } else {
        done = co_await store_checkin(redis, call);
    }
    if (!done) {
        auto e = std::move(done.error());
        if (e.ec == roster_errc::checkin_not_open) {
            std::int64_t opens = 0;
            std::from_chars(e.detail.data(), e.detail.data() + e.detail.size(), opens);
            e.detail = beijing_month_day(opens) == beijing_month_day(now) ? beijing_clock(opens)
                                                                                : beijing_month_day_time(opens);
        }
        co_return e;
    }
    co_return std::move(*done);
}

}  // namespace bense::handlers

// Checking a member in, by whichever channel: the one path that the chat ("签到 4821", "代签
// 张三"), the mini-program (code, scanned code, geofence tap) and the admin API share. The
// store makes one record per member per activity and grants its points in the same step,
// once per activity: a check-in is never recorded without its points, nor awarded twice.
#pragma once

#include "handlers/activity_store.hpp"
#include "handlers/checkin_batch.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/roster_config.hpp"

#include <optional>
#include <string>

namespace bense::handlers {

struct CheckinRequest {
    std::string member;
    std::string channel;      // code, scene, geo, proxy, record
    std::string activity;     // for geo, proxy and record
    std::string code;         // for code: the 4 digits
    std::string scene;        // for scene: as scanned
    std::optional<double> lat;
    std::optional<double> lng;
    std::string by;           // who acted: "member:m2", "wx:oa:<openid>" (a family proxy) ...
    std::string acting_for;   // the member, when `by` is someone else
    std::string scope;        // the acting admin's, for proxy and record
    // A member's own check-in by their mini-program session: its SHA-256, and the store finds
    // the member and who acted in the same step (`member`, `by` and `acting_for` stay empty).
    std::string session_hash;
};

// Errors carry the detail their message needs, already formatted (the opening time). A
// member's own check-in (with a session_hash) goes through `batcher` when there is one.
net::awaitable<result<CheckinResult, StoreError>> check_in(RosterDeps const& deps, server::RedisClient& redis,
                                                           CheckinRequest const& request,
                                                           CheckinBatcher* batcher = nullptr);

// The points rule of a check-in at an activity of `type`.
std::string_view checkin_points_action(std::string_view type);

}  // namespace bense::handlers

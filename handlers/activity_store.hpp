// The activities' Redis functions (handlers/activity.lua, library bense_activity) as typed
// calls: creating, changing, cancelling and recording an activity; listing; the rotating
// code; check-in and leave; attendance per activity and per branch and month. Scope and
// one-record-per-member are the store's to check, in the same step as the write.
#pragma once

#include "handlers/points_ledger.hpp"
#include "handlers/roster_store.hpp"
#include "server/redis_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

struct Activity {
    std::string id;
    std::string type;    // a code of activity_types()
    std::string title;
    std::string branch;  // "*" for city-wide
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string place;
    std::optional<double> lat;
    std::optional<double> lng;
    std::optional<int> radius;  // metres
    std::int64_t opens = 0;     // check-in window
    std::int64_t closes = 0;
    std::string status;         // "scheduled" or "cancelled"
    std::string created_by;
    std::string summary;        // the record afterwards
    std::string recorded_by;
    std::int64_t recorded_at = 0;
    std::string cancel_reason;
    long long checked_in = 0;
    long long on_leave = 0;
    std::string mine;           // for a member's list: "present", "leave" or ""
    std::int64_t mine_at = 0;
};

// An activity from the store's view {field, value, ...}.
Activity activity_from(server::RedisReply const& view);

// {"type", value, "title", value, ...}: what create and update write, checked by the caller.
using ActivityFields = std::vector<std::string>;

net::awaitable<result<std::string, StoreError>> create_activity(server::RedisClient& redis, Acting const& acting,
                                                                ActivityFields fields, std::string const& secret);
// "updated" or "unchanged".
net::awaitable<result<std::string, StoreError>> update_activity(server::RedisClient& redis, Acting const& acting,
                                                                std::string const& id, ActivityFields fields);
net::awaitable<result<void, StoreError>> cancel_activity(server::RedisClient& redis, Acting const& acting,
                                                         std::string const& id, std::string const& reason);
net::awaitable<result<void, StoreError>> record_activity(server::RedisClient& redis, Acting const& acting,
                                                         std::string const& id, std::string const& summary);

net::awaitable<result<Activity, StoreError>> get_activity(server::RedisClient& redis, std::string const& id);
// The activities of `branches` (use "*" for the city-wide ones) starting in [from, to], by
// start; with `member`, each carries that member's state.
net::awaitable<result<std::vector<Activity>, StoreError>> list_activities(server::RedisClient& redis,
                                                                          std::int64_t from, std::int64_t to,
                                                                          std::string const& member,
                                                                          std::vector<std::string> branches);

struct CheckinCode {
    std::string code;              // 4 digits
    std::int64_t valid_until = 0;  // when the next one takes over
    std::string title;
    std::int64_t start = 0;
    std::int64_t closes = 0;
};
net::awaitable<result<CheckinCode, StoreError>> checkin_code(server::RedisClient& redis, std::string const& scope,
                                                             std::string const& id, std::int64_t now,
                                                             std::int64_t period);

struct CheckinCall {
    std::int64_t now = 0;
    std::string member;
    std::string channel;   // code, scene, geo, proxy, record
    std::string activity;  // "" for a typed code
    std::string code;
    std::optional<double> lat;
    std::optional<double> lng;
    std::string by;          // who acted
    std::string acting_for;  // the member, when someone else acted for them
    std::string scope;       // the admin's scope for proxy and record
    std::int64_t period = 300;
    std::int64_t grace = 60;
    int max_failures = 10;
    // The points of a check-in, granted in the same step: the rules' version and
    // checkin_rules_arg(). A view of the server's own (RosterDeps::checkin_rules), which
    // outlives every call: a copy was an allocation of half a kilobyte per tap.
    int rules_version = 1;
    std::string_view rules;
    // With a session (its SHA-256), the store finds the member and who acted from it, and
    // slides the session's expiry to session_ttl_ms, as a session lookup does.
    std::string session_hash;
    std::int64_t session_ttl_ms = 0;
};

// For each activity type "type action points daily_cap yearly_cap needs_confirmation;", the
// check-in's points rule as the store reads it.
std::string checkin_rules_arg(PointsRules const& rules);

struct CheckinRecord {
    bool already = false;  // the member had checked in before: nothing changed
    std::string activity;
    std::int64_t at = 0;   // when the record was made (the first time, for `already`)
    std::string channel;
    std::string type;
    std::string title;
    std::string by;
};
// The record and its points (for `already`, the entry made with the first check-in).
struct CheckinResult {
    CheckinRecord record;
    AwardResult award;
};
net::awaitable<result<CheckinResult, StoreError>> store_checkin(server::RedisClient& redis, CheckinCall const& call);

// Members' own check-ins (each with a session_hash) in one call, each answered as
// store_checkin() would answer it alone, in order. The calls must be same_batch() as the first.
net::awaitable<std::vector<result<CheckinResult, StoreError>>> store_checkins(
    server::RedisClient& redis, std::vector<CheckinCall const*> const& calls);
// Whether two calls share what a batch sends once: the code's timing, the rules, the session's
// lifetime.
bool same_batch(CheckinCall const& a, CheckinCall const& b);

struct LeaveCall {
    std::int64_t now = 0;
    std::string member;
    std::string activity;
    std::string reason;
    std::string by;
    std::string acting_for;
};
struct LeaveRecord {
    bool updated = false;  // the member was on leave already; the reason is replaced
    std::string activity;
    std::string title;
    std::int64_t start = 0;
};
net::awaitable<result<LeaveRecord, StoreError>> store_leave(server::RedisClient& redis, LeaveCall const& call);

struct AttendanceRow {
    std::string number;
    std::string name;
    std::string state;  // present, proxied, leave, absent
    std::int64_t at = 0;
    std::string channel;
    std::string by;
    std::string acting_for;
    std::string reason;  // of a leave
};
struct Attendance {
    Activity activity;
    std::vector<AttendanceRow> rows;  // by member number
};
net::awaitable<result<Attendance, StoreError>> activity_attendance(server::RedisClient& redis,
                                                                   std::string const& scope, std::string const& id);

struct ActivityCounts {
    std::string id;
    std::string type;
    std::string title;
    std::int64_t start = 0;
    std::string status;
    long long expected = 0;
    long long present = 0;
    long long proxied = 0;
    long long leave = 0;
};
struct BranchMonth {
    std::string branch;
    std::string name;
    long long members = 0;
    std::vector<ActivityCounts> activities;
};
net::awaitable<result<std::vector<BranchMonth>, StoreError>> branch_months(server::RedisClient& redis,
                                                                           std::string const& scope,
                                                                           std::int64_t from, std::int64_t to,
                                                                           std::vector<std::string> branches);

// The embedded Lua library (bense_activity).
std::string_view activity_redis_library();

}  // namespace bense::handlers

// The activities API's answers, written from what the store returns: an activity, a
// check-in, a leave, the rotating code and the scanned one, attendance per activity, a
// member's own month, a branch's month and every branch's. Pure: unit-tested without I/O.
// What the API reads is activity_input.hpp's.
#pragma once

#include "handlers/activity_input.hpp"  // MonthRange
#include "handlers/activity_store.hpp"
#include "handlers/checkin.hpp"
#include "server/http_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

// Who reads an activity: a member sees their own state and not who created it; an admin sees
// the counts and who acted. Neither ever sees the secret (the store does not return it).
enum class ActivityView { member, admin };
std::string activity_json(Activity const& a, ActivityView view);
// {"activities": [...]}
std::string activities_json(std::vector<Activity> const& list, ActivityView view);

// "" granted, "capped" (a cap left 0), "pending" (the secretary confirms).
std::string_view points_status(AwardResult const& award);
// {"activity", "title", "at", "channel", "already", "points", "points_status"}
std::string checkin_json(CheckinResult const& r);
// checkin_json with 201 for a new record, 200 when the member had checked in before (nothing
// changed).
server::Response checkin_response(CheckinResult const& r);

// {"activity", "title", "start", "updated"}
std::string leave_json(LeaveRecord const& r);

// {"code", "valid_until", "title", "start", "closes"}
std::string code_json(CheckinCode const& c);
// {"scene", "page"}: what the mini-program code of an activity encodes, and the page it opens.
std::string scene_json(std::string_view scene, std::string_view page);

struct AttendanceCounts {
    long long expected = 0;
    long long present = 0;
    long long proxied = 0;
    long long leave = 0;
    long long absent = 0;
};
AttendanceCounts count_attendance(Attendance const& a);
// {"activity": {...}, "counts": {...}, "members": [{number, name, state, at, channel, by,
// for, reason}...]}
std::string attendance_json(Attendance const& a);

// A member's own month: {"month", "activities": [{id, type, type_name, title, branch, start,
// end, place, status, state, at}...], "counts": {present, leave, absent, upcoming}}. State is
// present, leave, absent (closed without a check-in), upcoming (still open or to come) or
// cancelled.
std::string my_attendance_json(MonthRange const& month, std::vector<Activity> const& list, std::int64_t now);

// Present and proxied over expected, three decimals; 0 when nobody was expected.
double attendance_rate(long long expected, long long attended);
// One branch's month: {"month", "branch", "name", "members", "activities": [{id, type,
// type_name, title, start, status, held, expected, present, proxied, leave, absent, rate}...],
// "totals": {...}}. Totals count the activities held: not cancelled and started by `now`.
std::string branch_month_json(MonthRange const& month, BranchMonth const& b, std::int64_t now);
// Every branch's month for the bureau, by branch id (no ranking): {"month", "branches":
// [{branch, name, members, activities, expected, present, proxied, leave, absent, rate}...],
// "totals": {...}}.
std::string all_months_json(MonthRange const& month, std::vector<BranchMonth> const& branches, std::int64_t now);

}  // namespace bense::handlers

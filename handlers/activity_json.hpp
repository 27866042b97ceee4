// The activities API's JSON: reading what members and secretaries send (a check-in, a leave,
// a cancellation, the record afterwards, a month) and writing what the store answers (an
// activity, a check-in, attendance per activity, per member and per branch and month). Pure:
// unit-tested without I/O. Reasons are one Chinese sentence each, shown as they are.
#pragma once

#include "handlers/activity_store.hpp"
#include "handlers/checkin.hpp"
#include "handlers/roster_json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

//------------------------------------------------------------------------------------------
// Reading

// A check-in from the mini-program: exactly one of {"code": "4821"} (typed), {"scene": ...}
// (scanned) or {"activity": "a1", "lat": .., "lng": ..} (a tap inside the geofence).
struct CheckinInput {
    std::string channel;  // code, scene or geo
    std::string code;     // 4 ASCII digits
    std::string scene;
    std::string activity;
    std::optional<double> lat;
    std::optional<double> lng;
};
result<CheckinInput, FieldError> parse_checkin_input(rapidjson::Value const& body);

// A typed code: 4 digits, full-width digits and spaces forgiven ("４８２１", " 48 21 ");
// nullopt for anything else.
std::optional<std::string> read_checkin_code(std::string_view text);

// {"reason": ...} of a leave or a cancellation: required, 1..100 characters after trimming.
result<std::string, FieldError> parse_reason_input(rapidjson::Value const& body);

// {"member": "m2"}: whom a secretary checks in.
result<std::string, FieldError> parse_proxy_input(rapidjson::Value const& body);

// {"summary": 1..500 characters, "attended": ["m2", ...] (optional, at most 500, no
// repeats)}: the record after an activity and the members to add as present.
struct RecordInput {
    std::string summary;
    std::vector<std::string> attended;
};
result<RecordInput, FieldError> parse_record_input(rapidjson::Value const& body);

// A Beijing calendar month and its instants [from, to].
struct MonthRange {
    std::string name;  // "2026-12"
    std::int64_t from = 0;
    std::int64_t to = 0;
};
// The "month" query parameter "YYYY-MM" (2000..2100); absent → the Beijing month of `now`.
result<MonthRange, FieldError> parse_month_param(std::optional<std::string> const& text, std::int64_t now);

//------------------------------------------------------------------------------------------
// Writing

// Who reads an activity: a member sees their own state and not who created it; an admin sees
// the counts and who acted. Neither ever sees the secret (the store does not return it).
enum class ActivityView { member, admin };
std::string activity_json(Activity const& a, ActivityView view);
// {"activities": [...]}
std::string activities_json(std::vector<Activity> const& list, ActivityView view);

// "" granted, "capped" (a cap left 0), "pending" (the secretary confirms), "later" (the
// ledger was not reached; the next try awards it).
std::string_view points_status(std::optional<AwardResult> const& award);
// {"activity", "title", "at", "channel", "already", "points", "points_status"}
std::string checkin_json(CheckinResult const& r);

// {"activity", "title", "start", "updated"}
std::string leave_json(LeaveRecord const& r);

// {"code", "valid_until", "title", "start", "closes"}
std::string code_json(CheckinCode const& c);

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

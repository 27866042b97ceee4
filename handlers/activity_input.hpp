// What members and secretaries send to the activities API, read and checked: a check-in, a
// leave or a cancellation, a proxy check-in, the record afterwards and the month of a view.
// Pure: unit-tested without I/O. Reasons are one Chinese sentence each, shown as they are.
#pragma once

#include "handlers/roster_json.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

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

}  // namespace bense::handlers

// An activity as a secretary describes it (admin API or the chat's 新建活动), checked and
// completed into the fields the store writes: the end defaults to two hours after the start,
// the check-in window to the configured margins around them. Pure: unit-tested without I/O.
// Reasons are one Chinese sentence each, shown to the secretary as they are.
#pragma once

#include "handlers/activity_config.hpp"
#include "handlers/activity_store.hpp"
#include "handlers/roster_json.hpp"
#include "server/digest.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bense::handlers {

inline constexpr std::int64_t kDefaultActivityLength = 2 * 3600;

struct ActivityDraft {
    std::string type;    // a code or Chinese name of activity_types()
    std::string title;   // 1..40 characters
    std::string branch;  // a branch id, or "*" for city-wide
    std::int64_t start = 0;
    std::optional<std::int64_t> end;     // default start + 2 h
    std::string place;                   // 0..60 characters
    std::optional<double> lat;           // all three or none: the geofence
    std::optional<double> lng;
    std::optional<int> radius;           // metres, 20..5000
    std::optional<std::int64_t> opens;   // default start - opens_before
    std::optional<std::int64_t> closes;  // default end + closes_after
};

// The key of a new activity's rotating code: 16 random bytes, as hex.
std::string new_activity_secret(server::RandomBytes const& random);

// The draft of a stored activity (every optional filled), to apply a change to.
ActivityDraft draft_of(Activity const& a);

// The checked fields {name, value, ...} of a draft; `now` refuses a start in the past.
result<ActivityFields, FieldError> activity_fields(ActivityDraft const& d, ActivityConfig const& config,
                                                   std::int64_t now);

// A draft from the admin API's JSON {type, title, branch, start, end, place, lat, lng,
// radius, opens, closes} (times as Unix seconds). Creating needs type (or a title that names
// it), title, branch and start; a change applies what is sent to `base` (branch excepted).
result<ActivityDraft, FieldError> parse_activity_input(rapidjson::Value const& body, ActivityDraft base,
                                                       bool creating);

}  // namespace bense::handlers

// What the points admin API is sent, checked: an award or deduction, a reversal, a decision
// on a pending entry, the ranking setting, and the year of a view. Pure: unit-tested without
// I/O. Reasons are one Chinese sentence each, shown to the clerk as they are.
#pragma once

#include "handlers/roster_json.hpp"

#include <optional>
#include <string>

namespace bense::handlers {

// {"action", "points" (manual rules only), "reason", "request_id"}. The request id (8..64 of
// [A-Za-z0-9_-], made by the console once per form) makes a repeated POST, a double click or a
// retry, land once.
struct AwardInput {
    std::string action;
    std::optional<int> points;
    std::string reason;
    std::string request_id;
};
result<AwardInput, FieldError> parse_award_input(rapidjson::Value const& body);

// {"reason"} of a reversal.
result<std::string, FieldError> parse_reversal_input(rapidjson::Value const& body);

// {"confirm": true|false, "reason"}; a rejection needs the reason (checked by the ledger).
struct DecisionInput {
    bool confirm = false;
    std::string reason;
};
result<DecisionInput, FieldError> parse_decision_input(rapidjson::Value const& body);

// {"ranking": true|false}
result<bool, FieldError> parse_ranking_input(rapidjson::Value const& body);

// The "year" query parameter: absent → `current`; else 2000..2100.
result<int, FieldError> parse_year_param(std::optional<std::string> const& text, int current);

}  // namespace bense::handlers

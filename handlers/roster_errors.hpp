// The errors of members, branches, login and binding: one table mapping each to its HTTP
// status, envelope code and Chinese message (templates/roster.jsonc), in the shape of the
// runtime's table. The roster's Redis functions name these codes; the runtime's own
// (auth.forbidden, store.*) keep their rows in server/errors.cpp.
#pragma once

#include "server/errors.hpp"
#include "server/templates.hpp"

#include <boost/system/error_code.hpp>

#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bense::handlers {

enum class roster_errc {
    not_bound = 1,
    member_inactive,
    member_not_found,
    member_exists,
    branch_not_found,
    branch_exists,
    branch_name_taken,
    branch_not_empty,
    login_code_invalid,
    login_code_used,
    bind_code_wrong,
    bind_code_expired,
    bind_code_used,
    bind_too_many,
    bind_already,       // {name}: who the user is bound as
    bind_taken,
    bind_phone_unknown,
    bind_phone_shared,
    bad_field,          // {reason}: what is wrong, one sentence
    import_invalid,     // {count}: how many problems
    token_exists,
    token_not_found,
    phone_code_invalid,
    points_unknown_action,
    points_reason_required,
    points_bad_amount,
    points_entry_not_found,
    points_not_pending,
    points_not_reversible,
    activity_not_found,
    activity_cancelled,
    activity_branch_fixed,
    activity_not_started,
    checkin_code_wrong,
    checkin_code_expired,
    checkin_nothing_open,
    checkin_not_open,   // {time}: when check-in opens
    checkin_closed,
    checkin_other_branch,
    checkin_cancelled,
    checkin_too_far,    // {distance}: metres to go
    checkin_no_geofence,
    checkin_too_many,
    checkin_scene_invalid,
    leave_too_late,
    leave_checked_in,
    checkin_qrcode_unavailable,  // the mini-program API is not configured: no scanned code
};
inline constexpr int kRosterErrcCount = static_cast<int>(roster_errc::checkin_qrcode_unavailable);

server::ErrorRow const& error_row(roster_errc e);
std::span<server::ErrorRow const> all_roster_error_rows();

// The row for any error a roster handler may meet: roster errors, the runtime's, and
// server.internal for anything else.
server::ErrorRow const& roster_error_row(boost::system::error_code ec);

// The placeholder of the error's message that the store's detail fills ("" for none).
std::string_view roster_error_placeholder(roster_errc e);

// The error a roster Redis function names ("bind.code_wrong", "auth.forbidden", ...);
// server.internal's code for a name nobody knows.
boost::system::error_code roster_error_from_code(std::string_view code);

std::vector<server::TemplateNeed> roster_error_template_needs();

boost::system::error_category const& roster_category() noexcept;
inline boost::system::error_code make_error_code(roster_errc e) noexcept {
    return {static_cast<int>(e), roster_category()};
}

}  // namespace bense::handlers

template <>
struct boost::system::is_error_code_enum<bense::handlers::roster_errc> : std::true_type {};

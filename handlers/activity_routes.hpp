// The activities API: for members (the mini-program), what is coming up in their branch and
// city-wide, checking in by a typed code, a scanned code or a tap inside the geofence, asking
// for leave and their own month; for secretaries and the bureau, creating, changing,
// cancelling and recording activities, the rotating code and the scanned one, proxy
// check-ins and attendance per activity, per branch and month and across branches. Every
// check-in goes through check_in(): one record per member per activity, points once.
#pragma once

#include "handlers/roster_config.hpp"
#include "server/router.hpp"

#include <memory>
#include <string_view>

namespace bense::handlers {

// The page a scanned check-in code opens in the mini-program.
inline constexpr std::string_view kCheckinPage = "pages/checkin/index";

// The member routes, and the admin ones (add_admin_activity_routes) with them.
void add_activity_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);
// /api/v1/admin/activities... and the attendance views (admin_activity_routes.cpp).
void add_admin_activity_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);

}  // namespace bense::handlers

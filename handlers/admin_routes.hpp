// The admin API of the bureau (every branch) and of secretaries and liaisons (their own
// branch): branches, members, roles, transfers, binding codes, unbinding, roster import,
// learning points and the audit stream. Every roster change lands in the audit stream in the
// same Redis call; every points change is a ledger entry of its own, naming who acted.
#pragma once

#include "handlers/roster_config.hpp"
#include "server/router.hpp"

#include <memory>

namespace bense::handlers {

void add_admin_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);

// The parts of add_admin_routes, one per file.
void add_admin_branch_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);
void add_admin_member_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);
void add_admin_points_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);
void add_admin_assessment_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);

}  // namespace bense::handlers

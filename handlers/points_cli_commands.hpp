// The bodies of `bense points export ledger|assessment`: CSV for Excel (UTF-8 with BOM), the
// same files the admin API gives, written to a file or stdout. Private to roster_cli.cpp.
#pragma once

#include "handlers/roster_cli_commands.hpp"

#include <iosfwd>
#include <string>

namespace bense::handlers {

// A member's whole ledger: 0 written, 1 no such member, 2 the store failed.
int points_ledger_export_command(RosterCliContext const& ctx, std::string const& member, std::ostream& out,
                                 std::ostream& err);
// Every branch's assessment of `half` ("2026H2"; "" for the current one): 0, 1 a bad half, 2.
int assessment_export_command(RosterCliContext const& ctx, std::string const& half, std::ostream& out,
                              std::ostream& err);

}  // namespace bense::handlers

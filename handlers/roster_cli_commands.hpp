// The bodies of `bense roster import|codes` and `bense admin token create|list|revoke`: each
// runs one-off on its own io_context with its own Redis client (the shape of `bense wx
// menu`), acts as Acting{"cli", "cli", now, "*"} and returns the process exit code.
// Private to roster_cli.cpp, which reads the command line and the config.
#pragma once

#include "handlers/roster_config.hpp"
#include "server/config.hpp"

#include <iosfwd>
#include <string>

namespace bense::handlers {

struct RosterCliContext {
    server::RedisConfig redis;
    RosterDeps deps;  // the roster section, the clock and the random source
};

// Imports a members or branches file: 0 imported (the summary on `out`), 1 the file has
// problems (each as 第N行：reason on `err`; nothing imported), 2 the file cannot be read or
// the store failed.
int roster_import_command(RosterCliContext const& ctx, std::string const& file, std::ostream& out,
                          std::ostream& err);

// Issues binding codes of `kind` ("self" or "proxy") to every active member of `branch` not
// yet bound in person; with `fresh` new codes replace codes still valid. 0 with the table on
// `out`, 1 no such branch, 2 the store failed.
int roster_codes_command(RosterCliContext const& ctx, std::string const& branch, std::string const& kind,
                         bool fresh, std::ostream& out, std::ostream& err);

// A new bureau token named `name`, printed once: 0, or 2 when the store failed.
int token_create_command(RosterCliContext const& ctx, std::string const& name, std::ostream& out,
                         std::ostream& err);
// Every token's id, name and creation time (never the token): 0, or 2.
int token_list_command(RosterCliContext const& ctx, std::ostream& out, std::ostream& err);
// Revokes the token `id`: 0, 1 no such token, 2 the store failed.
int token_revoke_command(RosterCliContext const& ctx, std::string const& id, std::ostream& out,
                         std::ostream& err);

}  // namespace bense::handlers

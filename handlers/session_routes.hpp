// The member's own API: log in with a wx.login code, log out, bind to the roster (a binding
// code or the phone button), see who they are, and hand out a code of their own (for their
// official-account chat, or for a family member to act for them).
#pragma once

#include "handlers/roster_config.hpp"
#include "server/router.hpp"

#include <memory>

namespace bense::handlers {

void add_session_routes(server::Router& router, std::shared_ptr<RosterDeps const> deps);

// A binding code as a member types or says it: six digits, in any writing ("１２３ ４５６",
// "一二三四五六"); nullopt when it is not one.
std::optional<std::string> read_binding_code(std::string_view text);

}  // namespace bense::handlers

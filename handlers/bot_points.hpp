// "积分" in the chat: the member's own points this year and in all, in two short lines. A
// personal record, never a comparison with anyone.
#pragma once

#include "handlers/bot.hpp"
#include "handlers/roster_config.hpp"

#include <memory>

namespace bense::handlers {

void register_points_command(Bot& bot, std::shared_ptr<RosterDeps const> deps);
std::vector<server::TemplateNeed> points_template_needs();

}  // namespace bense::handlers

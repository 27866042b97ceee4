// "绑定 123456" in the chat: binds the sender's WeChat identity on that app to the member the
// code was issued for, with the same one-time codes, limits and audit as the mini-program.
#pragma once

#include "handlers/bot.hpp"
#include "handlers/roster_config.hpp"

#include <memory>

namespace bense::handlers {

void register_binding_command(Bot& bot, std::shared_ptr<RosterDeps const> deps);
std::vector<server::TemplateNeed> binding_template_needs();

}  // namespace bense::handlers

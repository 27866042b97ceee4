// The one place where features join the chat bot: their commands, menu keys, conversations
// and the templates they answer with.
#pragma once

#include "handlers/bot.hpp"
#include "handlers/roster_config.hpp"

#include <memory>

#include <vector>

namespace bense::handlers {

void register_bot_features(Bot& bot, std::shared_ptr<RosterDeps const> deps);
std::vector<server::TemplateNeed> bot_feature_template_needs();

}  // namespace bense::handlers

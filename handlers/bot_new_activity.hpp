// The secretaries' guided conversations about activities: "新建活动" (title → time → place →
// confirm), "修改活动" (choose → "时间 …" / "地点 …" / "名称 …" → confirm) and "取消活动"
// (choose → reason → confirm). State in Redis through the bot core, which also ends them on
// "取消" or after its timeout; nothing is written before the confirmation.
#pragma once

#include "handlers/bot.hpp"
#include "handlers/roster_config.hpp"

#include <memory>
#include <vector>

namespace bense::handlers {

void register_new_activity_conversations(Bot& bot, std::shared_ptr<RosterDeps const> deps);
std::vector<server::TemplateNeed> new_activity_template_needs();

}  // namespace bense::handlers

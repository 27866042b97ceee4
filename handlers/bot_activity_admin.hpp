// The secretaries' activity commands in the chat: "签到码" (the rotating code of the activity
// now open, to show the members), "代签 张三" (a proxy check-in by name, fuzzy within the
// branch, ambiguous names asked back) and "统计" (who came to the current or last activity).
// Only a secretary or liaison in person (their branch) or the bureau (city-wide) may use them.
#pragma once

#include "handlers/bot.hpp"
#include "handlers/roster_config.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace bense::handlers {

struct AttendanceRow;

void register_activity_admin_commands(Bot& bot, std::shared_ptr<RosterDeps const> deps);
std::vector<server::TemplateNeed> activity_admin_template_needs();

// The members a secretary means by `typed` (spaces ignored): those named exactly so, else
// those whose name contains it or is contained in it, or differs from it in one character
// (names of two characters or more). Pure.
std::vector<AttendanceRow> match_member_names(std::vector<AttendanceRow> const& rows, std::string_view typed);

}  // namespace bense::handlers

// The kinds of activity a branch holds (主题党日, 三会一课 ...), each with its Chinese name
// and the points rule its check-in earns. Fixed by the programme, so here and not in config;
// start-up checks that every rule named exists in config/points.jsonc.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace bense::handlers {

struct ActivityType {
    std::string_view code;    // "party_day"
    std::string_view name;    // "主题党日"
    std::string_view points;  // the check-in's points rule: "checkin.party_day"
};

std::span<ActivityType const> activity_types();
// By code or Chinese name; nullopt for anything else.
std::optional<ActivityType> find_activity_type(std::string_view code_or_name);
// The type a title names ("12月主题党日" → 主题党日, "党课：..." → 党课), else 其他.
ActivityType activity_type_of_title(std::string_view title);

}  // namespace bense::handlers

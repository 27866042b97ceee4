// See activity_types.hpp.
#include "handlers/activity_types.hpp"

#include <algorithm>
#include <array>

namespace bense::handlers {
namespace {

// The 三会一课 share one points rule: they are one obligation of the branch.
constexpr std::array<ActivityType, 11> kTypes{{
    {"party_day", "主题党日", "checkin.party_day"},
    {"general_meeting", "支部党员大会", "checkin.three_meetings"},
    {"committee", "支委会", "checkin.three_meetings"},
    {"group_meeting", "党小组会", "checkin.three_meetings"},
    {"party_lecture", "党课", "checkin.three_meetings"},
    {"life_meeting", "组织生活会", "checkin.other"},
    {"member_day", "党员活动日", "checkin.other"},
    {"silver_lecture", "银发本色讲堂", "checkin.silver_lecture"},
    {"volunteer", "志愿服务", "checkin.volunteer"},
    {"community", "社区活动", "checkin.other"},
    {"other", "其他", "checkin.other"},
}};

// Words in a title that name a type, longest first so that "党员大会" wins over "党课"-like
// overlaps and "银发本色讲堂" over "讲堂".
struct TitleWord {
    std::string_view word;
    std::string_view code;
};
constexpr std::array<TitleWord, 14> kTitleWords{{
    {"银发本色讲堂", "silver_lecture"},
    {"组织生活会", "life_meeting"},
    {"党员活动日", "member_day"},
    {"支部党员大会", "general_meeting"},
    {"党员大会", "general_meeting"},
    {"主题党日", "party_day"},
    {"党小组会", "group_meeting"},
    {"志愿服务", "volunteer"},
    {"社区活动", "community"},
    {"支委会", "committee"},
    {"志愿", "volunteer"},
    {"讲堂", "silver_lecture"},
    {"党日", "party_day"},
    {"党课", "party_lecture"},
}};

}  // namespace

std::span<ActivityType const> activity_types() { return kTypes; }

std::optional<ActivityType> find_activity_type(std::string_view code_or_name) {
    auto it = std::find_if(kTypes.begin(), kTypes.end(), [&](ActivityType const& t) {
        return t.code == code_or_name || t.name == code_or_name;
    });
    if (it == kTypes.end()) {
        return std::nullopt;
    }
    return *it;
}

ActivityType activity_type_of_title(std::string_view title) {
    for (auto const& w : kTitleWords) {
        if (title.find(w.word) != std::string_view::npos) {
            return *find_activity_type(w.code);
        }
    }
    return kTypes.back();
}

}  // namespace bense::handlers

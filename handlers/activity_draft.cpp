// See activity_draft.hpp.
#include "handlers/activity_draft.hpp"

#include "handlers/activity_types.hpp"
#include "handlers/text_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <initializer_list>

namespace bense::handlers {
namespace {

constexpr std::size_t kMaxTitle = 40;
constexpr std::size_t kMaxPlace = 60;
constexpr std::int64_t kMaxLength = 3 * 86400;  // a three-day volunteer camp, at most
constexpr std::int64_t kMaxWindowMargin = 86400;

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

FieldError why(std::string reason) { return FieldError{std::move(reason)}; }

}  // namespace

std::string new_activity_secret(server::RandomBytes const& random) {
    std::string out;
    for (unsigned char c : random(16)) {
        out += fmt::format("{:02x}", c);
    }
    return out;
}

ActivityDraft draft_of(Activity const& a) {
    return {a.type, a.title, a.branch, a.start, a.end, a.place, a.lat, a.lng, a.radius, a.opens, a.closes};
}

result<ActivityFields, FieldError> activity_fields(ActivityDraft const& d, ActivityConfig const& config,
                                                   std::int64_t now) {
    auto type = find_activity_type(d.type);
    if (!type) {
        return why("活动类型不对，可选：主题党日、支部党员大会、支委会、党小组会、党课、组织生活会、党员活动日、"
                   "银发本色讲堂、志愿服务、社区活动、其他。");
    }
    auto const title = trim_spaces(d.title);
    if (title.empty() || count_characters(title) > kMaxTitle || has_control(title)) {
        return why("活动名称请写1到40个字。");
    }
    auto const place = trim_spaces(d.place);
    if (count_characters(place) > kMaxPlace || has_control(place)) {
        return why("地点请写60个字以内。");
    }
    if (d.branch.empty()) {
        return why("请写明是哪个支部的活动。");
    }
    if (d.start <= now) {
        return why("开始时间已经过去了，请写以后的时间。");
    }
    auto const end = d.end.value_or(d.start + kDefaultActivityLength);
    if (end <= d.start || end - d.start > kMaxLength) {
        return why("结束时间要晚于开始时间，活动最长三天。");
    }
    auto const opens = d.opens.value_or(d.start - config.opens_before.count());
    auto const closes = d.closes.value_or(end + config.closes_after.count());
    if (opens > d.start || d.start - opens > kMaxWindowMargin || closes < end || closes - end > kMaxWindowMargin) {
        return why("签到时间要从开始前（最多提前一天）到结束后（最多延后一天）。");
    }
    bool const some_geo = d.lat || d.lng || d.radius;
    bool const all_geo = d.lat && d.lng && d.radius;
    if (some_geo && !all_geo) {
        return why("按位置签到需要同时给出纬度、经度和范围（米）。");
    }
    if (all_geo && (*d.lat < -90 || *d.lat > 90 || *d.lng < -180 || *d.lng > 180 || *d.radius < 20 ||
                    *d.radius > 5000)) {
        return why("位置不对：纬度-90到90，经度-180到180，范围20到5000米。");
    }
    ActivityFields f{"type", std::string(type->code), "title", title, "branch", d.branch,
                     "start", std::to_string(d.start), "end", std::to_string(end), "place", place,
                     "opens", std::to_string(opens), "closes", std::to_string(closes)};
    auto geo = [&](auto v, char const* format) { return v ? fmt::format(fmt::runtime(format), *v) : std::string(); };
    f.insert(f.end(), {"lat", geo(d.lat, "{:.6f}"), "lng", geo(d.lng, "{:.6f}"), "radius", geo(d.radius, "{}")});
    return f;
}

namespace {

result<std::optional<std::string>, FieldError> string_at(rapidjson::Value const& body, char const* key,
                                                        std::string_view label) {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd()) {
        return std::optional<std::string>{};
    }
    if (!it->value.IsString()) {
        return why(std::string(label) + "应是文字。");
    }
    return std::optional<std::string>{std::string(it->value.GetString(), it->value.GetStringLength())};
}

// A Unix time, or null to go back to the default (end, opens, closes).
template <class T>
result<bool, FieldError> number_at(rapidjson::Value const& body, char const* key, std::string_view label,
                                   std::optional<T>& out) {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd()) {
        return false;
    }
    if (it->value.IsNull()) {
        out.reset();
        return true;
    }
    if constexpr (std::is_same_v<T, double>) {
        if (!it->value.IsNumber()) {
            return why(std::string(label) + "应是数字。");
        }
        out = it->value.GetDouble();
    } else if constexpr (std::is_same_v<T, int>) {
        if (!it->value.IsInt()) {
            return why(std::string(label) + "应是整数。");
        }
        out = it->value.GetInt();
    } else {
        if (!it->value.IsInt64()) {
            return why(std::string(label) + "应是时间（Unix 秒数）。");
        }
        out = it->value.GetInt64();
    }
    return true;
}

}  // namespace

result<ActivityDraft, FieldError> parse_activity_input(rapidjson::Value const& body, ActivityDraft base,
                                                       bool creating) {
    static constexpr std::array<std::string_view, 11> kKeys{"type", "title", "branch", "start", "end", "place",
                                                           "lat",  "lng",   "radius", "opens", "closes"};
    for (auto const& m : body.GetObject()) {
        std::string_view name(m.name.GetString(), m.name.GetStringLength());
        if (std::find(kKeys.begin(), kKeys.end(), name) == kKeys.end()) {
            return why("不认识的字段：" + std::string(name) + "。");
        }
    }
    ActivityDraft d = std::move(base);
    for (auto [key, label, out] : {std::tuple<char const*, char const*, std::string*>{"type", "类型（type）", &d.type},
                                   {"title", "名称（title）", &d.title},
                                   {"branch", "支部（branch）", &d.branch},
                                   {"place", "地点（place）", &d.place}}) {
        auto v = string_at(body, key, label);
        if (!v) {
            return v.error();
        }
        if (*v) {
            if (!creating && std::string_view(key) == "branch" && **v != *out) {
                return why("活动所属的支部不能修改；请取消后在另一个支部重新建。");
            }
            *out = std::move(**v);
        }
    }
    std::optional<std::int64_t> start;
    for (auto [key, label, out] : {std::tuple<char const*, char const*, std::optional<std::int64_t>*>{
                                       "start", "开始时间（start）", &start},
                                   {"end", "结束时间（end）", &d.end},
                                   {"opens", "签到开始（opens）", &d.opens},
                                   {"closes", "签到结束（closes）", &d.closes}}) {
        auto v = number_at(body, key, label, *out);
        if (!v) {
            return v.error();
        }
    }
    if (start) {
        // Moving the start moves the whole activity, so that "改到明天" keeps its length and its
        // window; a time the body gives itself stays as given.
        for (auto [key, field] : {std::pair<char const*, std::optional<std::int64_t>*>{"end", &d.end},
                                  {"opens", &d.opens},
                                  {"closes", &d.closes}}) {
            if (!creating && *field && !body.HasMember(key)) {
                **field += *start - d.start;
            }
        }
        d.start = *start;
    } else if (creating) {
        return why("请写开始时间（start）。");
    }
    for (auto [key, label] : {std::pair<char const*, char const*>{"lat", "纬度（lat）"}, {"lng", "经度（lng）"}}) {
        auto v = number_at(body, key, label, std::string_view(key) == "lat" ? d.lat : d.lng);
        if (!v) {
            return v.error();
        }
    }
    if (auto v = number_at(body, "radius", "范围（radius）", d.radius); !v) {
        return v.error();
    }
    if (creating && d.type.empty()) {
        d.type = std::string(activity_type_of_title(d.title).code);
    }
    return d;
}

}  // namespace bense::handlers

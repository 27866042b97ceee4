// See points_json.hpp.
#include "handlers/points_json.hpp"

#include "handlers/text_fields.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>

namespace bense::handlers {
namespace {

constexpr std::size_t kMaxReasonBytes = 600;  // about 200 Chinese characters

bool has_only(rapidjson::Value const& body, std::initializer_list<std::string_view> keys, std::string& unknown) {
    for (auto const& m : body.GetObject()) {
        std::string_view name(m.name.GetString(), m.name.GetStringLength());
        if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
            unknown = std::string(name);
            return false;
        }
    }
    return true;
}

FieldError unknown_key(std::string const& key) { return {"不认识的字段：" + key + "。"}; }

// A string member: nullopt when absent, the error when it is not a string.
result<std::optional<std::string>, FieldError> string_at(rapidjson::Value const& body, char const* key,
                                                        std::string_view label) {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd() || it->value.IsNull()) {
        return std::optional<std::string>{};
    }
    if (!it->value.IsString()) {
        return FieldError{std::string(label) + "应是文字。"};
    }
    return std::optional<std::string>{std::string(it->value.GetString(), it->value.GetStringLength())};
}

result<std::string, FieldError> reason_at(rapidjson::Value const& body) {
    auto reason = string_at(body, "reason", "原因（reason）");
    if (!reason) {
        return reason.error();
    }
    auto text = trim_spaces(reason->value_or(""));
    if (text.size() > kMaxReasonBytes) {
        return FieldError{"原因太长了，请控制在200字以内。"};
    }
    // FieldError converts from a string too: say which side this is.
    return result<std::string, FieldError>(boost::system::in_place_value, std::move(text));
}

bool is_request_id(std::string_view s) {
    return s.size() >= 8 && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-';
           });
}

}  // namespace

result<AwardInput, FieldError> parse_award_input(rapidjson::Value const& body) {
    std::string unknown;
    if (!has_only(body, {"action", "points", "reason", "request_id"}, unknown)) {
        return unknown_key(unknown);
    }
    AwardInput in;
    auto action = string_at(body, "action", "积分项目（action）");
    if (!action) {
        return action.error();
    }
    if (!*action || (*action)->empty()) {
        return FieldError{"请选择积分项目（action）。"};
    }
    in.action = **action;
    if (auto it = body.FindMember("points"); it != body.MemberEnd() && !it->value.IsNull()) {
        if (!it->value.IsInt()) {
            return FieldError{"分数（points）应是整数。"};
        }
        in.points = it->value.GetInt();
    }
    auto reason = reason_at(body);
    if (!reason) {
        return reason.error();
    }
    in.reason = std::move(*reason);
    auto id = string_at(body, "request_id", "请求编号（request_id）");
    if (!id) {
        return id.error();
    }
    if (!*id || !is_request_id(**id)) {
        return FieldError{"请求编号（request_id）应是8到64位的字母、数字、-或_，每次提交生成一个。"};
    }
    in.request_id = **id;
    return in;
}

result<std::string, FieldError> parse_reversal_input(rapidjson::Value const& body) {
    std::string unknown;
    if (!has_only(body, {"reason"}, unknown)) {
        return unknown_key(unknown);
    }
    return reason_at(body);
}

result<DecisionInput, FieldError> parse_decision_input(rapidjson::Value const& body) {
    std::string unknown;
    if (!has_only(body, {"confirm", "reason"}, unknown)) {
        return unknown_key(unknown);
    }
    auto it = body.FindMember("confirm");
    if (it == body.MemberEnd() || !it->value.IsBool()) {
        return FieldError{"请说明是否确认（confirm 为 true 或 false）。"};
    }
    auto reason = reason_at(body);
    if (!reason) {
        return reason.error();
    }
    return DecisionInput{it->value.GetBool(), std::move(*reason)};
}

result<bool, FieldError> parse_ranking_input(rapidjson::Value const& body) {
    std::string unknown;
    if (!has_only(body, {"ranking"}, unknown)) {
        return unknown_key(unknown);
    }
    auto it = body.FindMember("ranking");
    if (it == body.MemberEnd() || !it->value.IsBool()) {
        return FieldError{"ranking 应是 true（显示支部内排名）或 false（不显示）。"};
    }
    return it->value.GetBool();
}

result<int, FieldError> parse_year_param(std::optional<std::string> const& text, int current) {
    if (!text) {
        return current;
    }
    int year = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), year);
    if (ec != std::errc{} || p != text->data() + text->size() || year < 2000 || year > 2100) {
        return FieldError{"year 应是年份，例如 2026。"};
    }
    return year;
}

}  // namespace bense::handlers

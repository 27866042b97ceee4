// See activity_input.hpp.
#include "handlers/activity_input.hpp"

#include "handlers/beijing_time.hpp"
#include "handlers/text_fields.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>

namespace bense::handlers {
namespace {

constexpr std::size_t kMaxReason = 100;
constexpr std::size_t kMaxSummary = 500;
constexpr std::size_t kMaxAttended = 500;
constexpr std::size_t kMaxId = 32;  // activity ids, member numbers and scenes

FieldError why(std::string reason) { return FieldError{std::move(reason)}; }

// Control characters, apart from the line breaks and tabs a longer text may have.
bool has_control(std::string_view s, bool lines_allowed) {
    return std::any_of(s.begin(), s.end(), [&](char c) {
        auto const u = static_cast<unsigned char>(c);
        if (lines_allowed && (c == '\n' || c == '\r' || c == '\t')) {
            return false;
        }
        return u < 0x20 || u == 0x7F;
    });
}

std::string_view view_of(rapidjson::Value const& v) { return {v.GetString(), v.GetStringLength()}; }

// Any key not in `known` makes the body wrong: a typo should not pass silently.
template <std::size_t N>
std::optional<FieldError> unknown_key(rapidjson::Value const& body, std::array<std::string_view, N> const& known) {
    for (auto const& m : body.GetObject()) {
        auto const name = view_of(m.name);
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            return why("不认识的字段：" + std::string(name) + "。");
        }
    }
    return std::nullopt;
}

// A short id (activity, member): a string of 1..32 printable ASCII characters.
bool is_short_id(rapidjson::Value const& v) {
    if (!v.IsString() || v.GetStringLength() == 0 || v.GetStringLength() > kMaxId) {
        return false;
    }
    auto const s = view_of(v);
    return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

// The number at `key` when it is one within ±limit; nullopt when absent, not a number or out
// of range.
std::optional<double> coordinate(rapidjson::Value const& body, char const* key, double limit) {
    auto it = body.FindMember(key);
    if (it == body.MemberEnd() || !it->value.IsNumber()) {
        return std::nullopt;
    }
    auto const v = it->value.GetDouble();
    if (!std::isfinite(v) || v < -limit || v > limit) {
        return std::nullopt;
    }
    return v;
}

// The Beijing month `month` (1..12) of `year`, named `name`.
MonthRange month_range(std::string name, int year, int month) {
    auto const next = month == 12 ? beijing_month_start(year + 1, 1) : beijing_month_start(year, month + 1);
    return MonthRange{std::move(name), beijing_month_start(year, month), next - 1};
}

}  // namespace

//------------------------------------------------------------------------------------------
// Check-ins

std::optional<std::string> read_checkin_code(std::string_view text) {
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c == ' ' || c == '\t') {
            continue;
        }
        if (c >= '0' && c <= '9') {
            digits.push_back(static_cast<char>(c));
            continue;
        }
        auto const rest = text.substr(i);
        // U+3000 (ideographic space) and U+FF10..U+FF19 (full-width digits), in UTF-8.
        if (rest.starts_with("\xE3\x80\x80")) {
            i += 2;
            continue;
        }
        if (rest.size() >= 3 && rest[0] == '\xEF' && rest[1] == '\xBC' && static_cast<unsigned char>(rest[2]) >= 0x90 &&
            static_cast<unsigned char>(rest[2]) <= 0x99) {
            digits.push_back(static_cast<char>('0' + (static_cast<unsigned char>(rest[2]) - 0x90)));
            i += 2;
            continue;
        }
        return std::nullopt;
    }
    if (digits.size() != 4) {
        return std::nullopt;
    }
    return digits;
}

result<CheckinInput, FieldError> parse_checkin_input(rapidjson::Value const& body) {
    static constexpr std::array<std::string_view, 5> kKeys{"code", "scene", "activity", "lat", "lng"};
    if (auto e = unknown_key(body, kKeys)) {
        return *e;
    }
    int const ways = int(body.HasMember("code")) + int(body.HasMember("scene")) + int(body.HasMember("activity"));
    if (ways != 1) {
        return why("请只给出一种签到方式：签到码（code）、扫到的码（scene），或活动和位置（activity、lat、lng）。");
    }
    CheckinInput in;
    if (body.HasMember("code")) {
        auto const& v = body["code"];
        auto code = v.IsString() ? read_checkin_code(view_of(v)) : std::nullopt;
        if (!code) {
            return why("签到码是4位数字，请核对后再输。");
        }
        in.channel = "code";
        in.code = std::move(*code);
    } else if (body.HasMember("scene")) {
        auto const& v = body["scene"];
        if (!is_short_id(v)) {
            return why("扫到的码（scene）不对，请重新扫书记出示的签到码。");
        }
        in.channel = "scene";
        in.scene = std::string(view_of(v));
    } else {
        if (!is_short_id(body["activity"])) {
            return why("活动编号（activity）不对。");
        }
        in.channel = "geo";
        in.activity = std::string(view_of(body["activity"]));
        in.lat = coordinate(body, "lat", 90);
        in.lng = coordinate(body, "lng", 180);
        if (!in.lat || !in.lng) {
            return why("按位置签到需要纬度（lat，-90到90）和经度（lng，-180到180）。");
        }
    }
    if (in.channel != "geo" && (body.HasMember("lat") || body.HasMember("lng"))) {
        return why("位置（lat、lng）只用于按位置签到，请同时给出活动编号（activity）。");
    }
    return in;
}

//------------------------------------------------------------------------------------------
// Reasons, proxy check-ins and records

result<std::string, FieldError> parse_reason_input(rapidjson::Value const& body) {
    static constexpr std::array<std::string_view, 1> kKeys{"reason"};
    if (auto e = unknown_key(body, kKeys)) {
        return *e;
    }
    auto it = body.FindMember("reason");
    if (it == body.MemberEnd() || !it->value.IsString()) {
        return why("请写明原因（reason），100个字以内。");
    }
    auto reason = trim_spaces(view_of(it->value));
    if (reason.empty() || count_characters(reason) > kMaxReason || has_control(reason, false)) {
        return why("原因请写1到100个字。");
    }
    // FieldError converts from a string too: say which side this is.
    return result<std::string, FieldError>(boost::system::in_place_value, std::move(reason));
}

result<std::string, FieldError> parse_proxy_input(rapidjson::Value const& body) {
    static constexpr std::array<std::string_view, 1> kKeys{"member"};
    if (auto e = unknown_key(body, kKeys)) {
        return *e;
    }
    auto it = body.FindMember("member");
    if (it == body.MemberEnd() || !is_short_id(it->value)) {
        return why("请给出要代签的党员编号（member）。");
    }
    return result<std::string, FieldError>(boost::system::in_place_value, view_of(it->value));
}

result<RecordInput, FieldError> parse_record_input(rapidjson::Value const& body) {
    static constexpr std::array<std::string_view, 2> kKeys{"summary", "attended"};
    if (auto e = unknown_key(body, kKeys)) {
        return *e;
    }
    RecordInput in;
    auto s = body.FindMember("summary");
    if (s == body.MemberEnd() || !s->value.IsString()) {
        return why("请写活动记录（summary），500个字以内。");
    }
    in.summary = trim_spaces(view_of(s->value));
    if (in.summary.empty() || count_characters(in.summary) > kMaxSummary || has_control(in.summary, true)) {
        return why("活动记录请写1到500个字。");
    }
    auto a = body.FindMember("attended");
    if (a == body.MemberEnd()) {
        return in;
    }
    if (!a->value.IsArray() || a->value.Size() > kMaxAttended) {
        return why("参加的人（attended）应是党员编号的列表，最多500人。");
    }
    std::set<std::string, std::less<>> seen;
    for (auto const& v : a->value.GetArray()) {
        if (!is_short_id(v)) {
            return why("参加的人（attended）应是党员编号的列表，最多500人。");
        }
        if (seen.insert(std::string(view_of(v))).second) {
            in.attended.emplace_back(view_of(v));
        }
    }
    return in;
}


//------------------------------------------------------------------------------------------
// Months

result<MonthRange, FieldError> parse_month_param(std::optional<std::string> const& text, std::int64_t now) {
    if (!text) {
        auto name = beijing_minute(now).substr(0, 7);
        int year = 0;
        int month = 0;
        std::from_chars(name.data(), name.data() + 4, year);
        std::from_chars(name.data() + 5, name.data() + 7, month);
        return month_range(std::move(name), year, month);
    }
    auto const& s = *text;
    int year = 0;
    int month = 0;
    bool const shaped = s.size() == 7 && s[4] == '-' &&
                        std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
                        std::all_of(s.begin() + 5, s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (shaped) {
        std::from_chars(s.data(), s.data() + 4, year);
        std::from_chars(s.data() + 5, s.data() + 7, month);
    }
    if (!shaped || year < 2000 || year > 2100 || month < 1 || month > 12) {
        return why("month 应是“年-月”，如 2026-12。");
    }
    return month_range(s, year, month);
}

}  // namespace bense::handlers

// See activity_json.hpp.
#include "handlers/activity_json.hpp"

#include "handlers/activity_types.hpp"
#include "handlers/beijing_time.hpp"
#include "server/json.hpp"

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

std::size_t characters(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string trimmed(std::string_view s) {
    auto const first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

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

//------------------------------------------------------------------------------------------
// Writing helpers

using server::JsonWriter;
using server::write_key;
using server::write_string;

void field(JsonWriter& w, std::string_view key, std::string_view value) {
    write_key(w, key);
    write_string(w, value);
}

void field(JsonWriter& w, std::string_view key, long long value) {
    write_key(w, key);
    w.Int64(value);
}

// A time, or null when there is none (0).
void time_field(JsonWriter& w, std::string_view key, std::int64_t value) {
    write_key(w, key);
    if (value == 0) {
        w.Null();
    } else {
        w.Int64(value);
    }
}

std::string_view type_name(std::string_view code) {
    auto t = find_activity_type(code);
    return t ? t->name : std::string_view();
}

void write_activity(JsonWriter& w, Activity const& a, ActivityView view) {
    w.StartObject();
    field(w, "id", a.id);
    field(w, "type", a.type);
    field(w, "type_name", type_name(a.type));
    field(w, "title", a.title);
    field(w, "branch", a.branch);
    field(w, "start", a.start);
    field(w, "end", a.end);
    field(w, "place", a.place);
    write_key(w, "lat");
    a.lat ? w.Double(*a.lat) : w.Null();
    write_key(w, "lng");
    a.lng ? w.Double(*a.lng) : w.Null();
    write_key(w, "radius");
    a.radius ? w.Int(*a.radius) : w.Null();
    field(w, "opens", a.opens);
    field(w, "closes", a.closes);
    field(w, "status", a.status);
    field(w, "cancel_reason", a.cancel_reason);
    field(w, "summary", a.summary);
    time_field(w, "recorded_at", a.recorded_at);
    if (view == ActivityView::member) {
        field(w, "mine", a.mine);
        time_field(w, "mine_at", a.mine_at);
    } else {
        field(w, "created_by", a.created_by);
        field(w, "recorded_by", a.recorded_by);
        field(w, "checked_in", a.checked_in);
        field(w, "on_leave", a.on_leave);
    }
    w.EndObject();
}

struct Totals {
    long long activities = 0;
    long long expected = 0;
    long long present = 0;
    long long proxied = 0;
    long long leave = 0;

    long long absent() const { return std::max(0LL, expected - present - proxied - leave); }
    void add(ActivityCounts const& c) {
        ++activities;
        expected += c.expected;
        present += c.present;
        proxied += c.proxied;
        leave += c.leave;
    }
    void add(Totals const& t) {
        activities += t.activities;
        expected += t.expected;
        present += t.present;
        proxied += t.proxied;
        leave += t.leave;
    }
};

bool held(ActivityCounts const& c, std::int64_t now) { return c.status != "cancelled" && c.start <= now; }

// The rate leaves out those on leave: they asked in time, they were not absent.
double rate_of(long long expected, long long present, long long proxied, long long leave) {
    return attendance_rate(expected - leave, present + proxied);
}

void write_counts(JsonWriter& w, long long expected, long long present, long long proxied, long long leave) {
    field(w, "expected", expected);
    field(w, "present", present);
    field(w, "proxied", proxied);
    field(w, "leave", leave);
    field(w, "absent", std::max(0LL, expected - present - proxied - leave));
}

void write_totals(JsonWriter& w, Totals const& t) {
    field(w, "activities", t.activities);
    write_counts(w, t.expected, t.present, t.proxied, t.leave);
    write_key(w, "rate");
    w.Double(rate_of(t.expected, t.present, t.proxied, t.leave));
}

Totals totals_of(BranchMonth const& b, std::int64_t now) {
    Totals t;
    for (auto const& c : b.activities) {
        if (held(c, now)) {
            t.add(c);
        }
    }
    return t;
}

}  // namespace

//------------------------------------------------------------------------------------------
// Reading

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

result<std::string, FieldError> parse_reason_input(rapidjson::Value const& body) {
    static constexpr std::array<std::string_view, 1> kKeys{"reason"};
    if (auto e = unknown_key(body, kKeys)) {
        return *e;
    }
    auto it = body.FindMember("reason");
    if (it == body.MemberEnd() || !it->value.IsString()) {
        return why("请写明原因（reason），100个字以内。");
    }
    auto reason = trimmed(view_of(it->value));
    if (reason.empty() || characters(reason) > kMaxReason || has_control(reason, false)) {
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
    in.summary = trimmed(view_of(s->value));
    if (in.summary.empty() || characters(in.summary) > kMaxSummary || has_control(in.summary, true)) {
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

result<MonthRange, FieldError> parse_month_param(std::optional<std::string> const& text, std::int64_t now) {
    if (!text) {
        auto name = beijing_minute(now).substr(0, 7);
        int year = 0;
        int month = 0;
        std::from_chars(name.data(), name.data() + 4, year);
        std::from_chars(name.data() + 5, name.data() + 7, month);
        auto const next = month == 12 ? beijing_month_start(year + 1, 1) : beijing_month_start(year, month + 1);
        return MonthRange{std::move(name), beijing_month_start(year, month), next - 1};
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
    auto const next = month == 12 ? beijing_month_start(year + 1, 1) : beijing_month_start(year, month + 1);
    return MonthRange{s, beijing_month_start(year, month), next - 1};
}

//------------------------------------------------------------------------------------------
// Writing

std::string activity_json(Activity const& a, ActivityView view) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    write_activity(w, a, view);
    return buf.GetString();
}

std::string activities_json(std::vector<Activity> const& list, ActivityView view) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "activities");
    w.StartArray();
    for (auto const& a : list) {
        write_activity(w, a, view);
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

std::string_view points_status(std::optional<AwardResult> const& award) {
    if (!award) {
        return "later";
    }
    if (award->status == "pending") {
        return "pending";
    }
    if (award->points == 0 && !award->capped.empty()) {
        return "capped";
    }
    return "";
}

std::string checkin_json(CheckinResult const& r) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    field(w, "activity", r.record.activity);
    field(w, "title", r.record.title);
    field(w, "at", r.record.at);
    field(w, "channel", r.record.channel);
    write_key(w, "already");
    w.Bool(r.record.already);
    field(w, "points", r.award ? r.award->points : 0);
    field(w, "points_status", points_status(r.award));
    w.EndObject();
    return buf.GetString();
}

std::string leave_json(LeaveRecord const& r) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    field(w, "activity", r.activity);
    field(w, "title", r.title);
    field(w, "start", r.start);
    write_key(w, "updated");
    w.Bool(r.updated);
    w.EndObject();
    return buf.GetString();
}

std::string code_json(CheckinCode const& c) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    field(w, "code", c.code);
    field(w, "valid_until", c.valid_until);
    field(w, "title", c.title);
    field(w, "start", c.start);
    field(w, "closes", c.closes);
    w.EndObject();
    return buf.GetString();
}

AttendanceCounts count_attendance(Attendance const& a) {
    AttendanceCounts c;
    for (auto const& row : a.rows) {
        ++c.expected;
        if (row.state == "present") {
            ++c.present;
        } else if (row.state == "proxied") {
            ++c.proxied;
        } else if (row.state == "leave") {
            ++c.leave;
        } else {
            ++c.absent;
        }
    }
    return c;
}

std::string attendance_json(Attendance const& a) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    write_key(w, "activity");
    write_activity(w, a.activity, ActivityView::admin);
    auto const c = count_attendance(a);
    write_key(w, "counts");
    w.StartObject();
    field(w, "expected", c.expected);
    field(w, "present", c.present);
    field(w, "proxied", c.proxied);
    field(w, "leave", c.leave);
    field(w, "absent", c.absent);
    w.EndObject();
    write_key(w, "members");
    w.StartArray();
    for (auto const& row : a.rows) {
        w.StartObject();
        field(w, "number", row.number);
        field(w, "name", row.name);
        field(w, "state", row.state);
        time_field(w, "at", row.at);
        field(w, "channel", row.channel);
        field(w, "by", row.by);
        field(w, "for", row.acting_for);
        field(w, "reason", row.reason);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

std::string my_attendance_json(MonthRange const& month, std::vector<Activity> const& list, std::int64_t now) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    long long present = 0;
    long long leave = 0;
    long long absent = 0;
    long long upcoming = 0;
    w.StartObject();
    field(w, "month", month.name);
    write_key(w, "activities");
    w.StartArray();
    for (auto const& a : list) {
        std::string_view state;
        if (a.status == "cancelled") {
            state = "cancelled";
        } else if (a.mine == "present") {
            state = "present";
            ++present;
        } else if (a.mine == "leave") {
            state = "leave";
            ++leave;
        } else if (a.closes < now) {
            state = "absent";
            ++absent;
        } else {
            state = "upcoming";
            ++upcoming;
        }
        w.StartObject();
        field(w, "id", a.id);
        field(w, "type", a.type);
        field(w, "type_name", type_name(a.type));
        field(w, "title", a.title);
        field(w, "branch", a.branch);
        field(w, "start", a.start);
        field(w, "end", a.end);
        field(w, "place", a.place);
        field(w, "status", a.status);
        field(w, "state", state);
        time_field(w, "at", a.mine.empty() ? 0 : a.mine_at);
        w.EndObject();
    }
    w.EndArray();
    write_key(w, "counts");
    w.StartObject();
    field(w, "present", present);
    field(w, "leave", leave);
    field(w, "absent", absent);
    field(w, "upcoming", upcoming);
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

double attendance_rate(long long expected, long long attended) {
    if (expected <= 0) {
        return 0;
    }
    return std::round(1000.0 * static_cast<double>(attended) / static_cast<double>(expected)) / 1000.0;
}

std::string branch_month_json(MonthRange const& month, BranchMonth const& b, std::int64_t now) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    field(w, "month", month.name);
    field(w, "branch", b.branch);
    field(w, "name", b.name);
    field(w, "members", b.members);
    write_key(w, "activities");
    w.StartArray();
    for (auto const& c : b.activities) {
        w.StartObject();
        field(w, "id", c.id);
        field(w, "type", c.type);
        field(w, "type_name", type_name(c.type));
        field(w, "title", c.title);
        field(w, "start", c.start);
        field(w, "status", c.status);
        write_key(w, "held");
        w.Bool(held(c, now));
        write_counts(w, c.expected, c.present, c.proxied, c.leave);
        write_key(w, "rate");
        if (held(c, now)) {
            w.Double(rate_of(c.expected, c.present, c.proxied, c.leave));
        } else {
            w.Null();
        }
        w.EndObject();
    }
    w.EndArray();
    write_key(w, "totals");
    w.StartObject();
    write_totals(w, totals_of(b, now));
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

std::string all_months_json(MonthRange const& month, std::vector<BranchMonth> const& branches, std::int64_t now) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    Totals all;
    std::set<std::string, std::less<>> ids;  // a city-wide activity counts once in the totals
    w.StartObject();
    field(w, "month", month.name);
    write_key(w, "branches");
    w.StartArray();
    for (auto const& b : branches) {
        auto const t = totals_of(b, now);
        all.add(t);
        for (auto const& c : b.activities) {
            if (held(c, now)) {
                ids.insert(c.id);
            }
        }
        w.StartObject();
        field(w, "branch", b.branch);
        field(w, "name", b.name);
        field(w, "members", b.members);
        write_totals(w, t);
        w.EndObject();
    }
    w.EndArray();
    all.activities = static_cast<long long>(ids.size());
    write_key(w, "totals");
    w.StartObject();
    write_totals(w, all);
    w.EndObject();
    w.EndObject();
    return buf.GetString();
}

}  // namespace bense::handlers

// See activity_json.hpp.
#include "handlers/activity_json.hpp"

#include "handlers/activity_types.hpp"
#include "handlers/json_fields.hpp"
#include "server/response.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace bense::handlers {
namespace {

using namespace json_fields;
using server::write_key;

std::string_view type_name(std::string_view code) {
    auto t = find_activity_type(code);
    return t ? t->name : std::string_view();
}

// id, type, type_name, title: how every list names an activity.
void name_fields(JsonWriter& w, std::string_view id, std::string_view type, std::string_view title) {
    field(w, "id", id);
    field(w, "type", type);
    field(w, "type_name", type_name(type));
    field(w, "title", title);
}

// The name, then branch, start, end and place: an activity in a member's month and in full.
void summary_fields(JsonWriter& w, Activity const& a) {
    name_fields(w, a.id, a.type, a.title);
    field(w, "branch", a.branch);
    field(w, "start", a.start);
    field(w, "end", a.end);
    field(w, "place", a.place);
}

// Every member of an activity that `view` may see.
void activity_members(JsonWriter& w, Activity const& a, ActivityView view) {
    summary_fields(w, a);
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
}

//------------------------------------------------------------------------------------------
// Month statistics

struct Totals {
    long long activities = 0;
    long long expected = 0;
    long long present = 0;
    long long proxied = 0;
    long long leave = 0;

    void add(ActivityCounts const& c) { add(Totals{1, c.expected, c.present, c.proxied, c.leave}); }
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

// expected, present, proxied, leave, and absent: the expected who are none of the others.
void count_fields(JsonWriter& w, long long expected, long long present, long long proxied, long long leave) {
    field(w, "expected", expected);
    field(w, "present", present);
    field(w, "proxied", proxied);
    field(w, "leave", leave);
    field(w, "absent", std::max(0LL, expected - present - proxied - leave));
}

void total_fields(JsonWriter& w, Totals const& t) {
    field(w, "activities", t.activities);
    count_fields(w, t.expected, t.present, t.proxied, t.leave);
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
// Activities, check-ins and leave

std::string activity_json(Activity const& a, ActivityView view) {
    return object_json([&](JsonWriter& w) { activity_members(w, a, view); });
}

std::string activities_json(std::vector<Activity> const& list, ActivityView view) {
    return object_json([&](JsonWriter& w) {
        array_field(w, "activities", list, [&](JsonWriter& w, Activity const& a) { activity_members(w, a, view); });
    });
}

std::string_view points_status(AwardResult const& award) {
    if (award.status == "pending") {
        return "pending";
    }
    if (award.points == 0 && !award.capped.empty()) {
        return "capped";
    }
    return "";
}

std::string checkin_json(CheckinResult const& r) {
    return object_json([&](JsonWriter& w) {
        field(w, "activity", r.record.activity);
        field(w, "title", r.record.title);
        field(w, "at", r.record.at);
        field(w, "channel", r.record.channel);
        flag_field(w, "already", r.record.already);
        field(w, "points", r.award.points);
        field(w, "points_status", points_status(r.award));
    });
}

server::Response checkin_response(CheckinResult const& r) {
    return server::json_response(r.record.already ? http::status::ok : http::status::created, checkin_json(r));
}

std::string leave_json(LeaveRecord const& r) {
    return object_json([&](JsonWriter& w) {
        field(w, "activity", r.activity);
        field(w, "title", r.title);
        field(w, "start", r.start);
        flag_field(w, "updated", r.updated);
    });
}

std::string code_json(CheckinCode const& c) {
    return object_json([&](JsonWriter& w) {
        field(w, "code", c.code);
        field(w, "valid_until", c.valid_until);
        field(w, "title", c.title);
        field(w, "start", c.start);
        field(w, "closes", c.closes);
    });
}

std::string scene_json(std::string_view scene, std::string_view page) {
    return object_json([&](JsonWriter& w) {
        field(w, "scene", scene);
        field(w, "page", page);
    });
}

//------------------------------------------------------------------------------------------
// Attendance

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
    return object_json([&](JsonWriter& w) {
        object_field(w, "activity", [&](JsonWriter& w) { activity_members(w, a.activity, ActivityView::admin); });
        // count_fields' absent (expected less the others) is count_attendance's: the rows in none
        // of the other states.
        auto const c = count_attendance(a);
        object_field(w, "counts", [&](JsonWriter& w) { count_fields(w, c.expected, c.present, c.proxied, c.leave); });
        array_field(w, "members", a.rows, [](JsonWriter& w, AttendanceRow const& row) {
            field(w, "number", row.number);
            field(w, "name", row.name);
            field(w, "state", row.state);
            time_field(w, "at", row.at);
            field(w, "channel", row.channel);
            field(w, "by", row.by);
            field(w, "for", row.acting_for);
            field(w, "reason", row.reason);
        });
    });
}

std::string my_attendance_json(MonthRange const& month, std::vector<Activity> const& list, std::int64_t now) {
    long long present = 0;
    long long leave = 0;
    long long absent = 0;
    long long upcoming = 0;
    auto state_of = [&](Activity const& a) -> std::string_view {
        if (a.status == "cancelled") {
            return "cancelled";
        }
        if (a.mine == "present") {
            ++present;
            return "present";
        }
        if (a.mine == "leave") {
            ++leave;
            return "leave";
        }
        if (a.closes < now) {
            ++absent;
            return "absent";
        }
        ++upcoming;
        return "upcoming";
    };
    return object_json([&](JsonWriter& w) {
        field(w, "month", month.name);
        array_field(w, "activities", list, [&](JsonWriter& w, Activity const& a) {
            summary_fields(w, a);
            field(w, "status", a.status);
            field(w, "state", state_of(a));
            time_field(w, "at", a.mine.empty() ? 0 : a.mine_at);
        });
        object_field(w, "counts", [&](JsonWriter& w) {
            field(w, "present", present);
            field(w, "leave", leave);
            field(w, "absent", absent);
            field(w, "upcoming", upcoming);
        });
    });
}

//------------------------------------------------------------------------------------------
// Branch months

double attendance_rate(long long expected, long long attended) {
    if (expected <= 0) {
        return 0;
    }
    return std::round(1000.0 * static_cast<double>(attended) / static_cast<double>(expected)) / 1000.0;
}

std::string branch_month_json(MonthRange const& month, BranchMonth const& b, std::int64_t now) {
    return object_json([&](JsonWriter& w) {
        field(w, "month", month.name);
        field(w, "branch", b.branch);
        field(w, "name", b.name);
        field(w, "members", b.members);
        array_field(w, "activities", b.activities, [&](JsonWriter& w, ActivityCounts const& c) {
            name_fields(w, c.id, c.type, c.title);
            field(w, "start", c.start);
            field(w, "status", c.status);
            flag_field(w, "held", held(c, now));
            count_fields(w, c.expected, c.present, c.proxied, c.leave);
            write_key(w, "rate");
            if (held(c, now)) {
                w.Double(rate_of(c.expected, c.present, c.proxied, c.leave));
            } else {
                w.Null();
            }
        });
        object_field(w, "totals", [&](JsonWriter& w) { total_fields(w, totals_of(b, now)); });
    });
}

std::string all_months_json(MonthRange const& month, std::vector<BranchMonth> const& branches, std::int64_t now) {
    Totals all;
    std::set<std::string, std::less<>> ids;  // a city-wide activity counts once in the totals
    return object_json([&](JsonWriter& w) {
        field(w, "month", month.name);
        array_field(w, "branches", branches, [&](JsonWriter& w, BranchMonth const& b) {
            auto const t = totals_of(b, now);
            all.add(t);
            for (auto const& c : b.activities) {
                if (held(c, now)) {
                    ids.insert(c.id);
                }
            }
            field(w, "branch", b.branch);
            field(w, "name", b.name);
            field(w, "members", b.members);
            total_fields(w, t);
        });
        all.activities = static_cast<long long>(ids.size());
        object_field(w, "totals", [&](JsonWriter& w) { total_fields(w, all); });
    });
}

}  // namespace bense::handlers

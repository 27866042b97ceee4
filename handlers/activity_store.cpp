// See activity_store.hpp.
#include "handlers/activity_store.hpp"

#include "handlers/activity_types.hpp"
#include "server/errors.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace bense::embedded {
extern std::string_view const handlers_activity_functions;
}  // namespace bense::embedded

namespace bense::handlers {
namespace {

constexpr std::string_view kLibrary = "bense_activity_";

std::string text_of(server::RedisReply const& r) { return std::string(r.text().value_or("")); }

long long integer_of(server::RedisReply const& r) {
    if (auto i = r.as_integer()) {
        return *i;
    }
    return integer_in<long long>(text_of(r));
}

std::optional<double> decimal_in(std::string const& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    return std::strtod(text.c_str(), nullptr);
}

StoreError unexpected(std::string_view what) {
    return StoreError{server::errc::store_error, "unexpected " + std::string(what) + " answer"};
}

// A coordinate as the store reads it, to six decimals (about 0.1 m). By std::to_chars: fmt's
// float formatting was 3% of the server's instructions for a check-in, for two numbers.
std::string decimal(std::optional<double> v) {
    if (!v) {
        return {};
    }
    char buf[64];
    auto const r = std::to_chars(buf, buf + sizeof buf, *v, std::chars_format::fixed, 6);
    return r.ec == std::errc{} ? std::string(buf, r.ptr) : fmt::format("{:.6f}", *v);  // fmt: too long for buf
}

// A check-in's answer after its 'ok'.
result<CheckinResult, StoreError> checkin_result_of(std::vector<server::RedisReply> const& v) {
    if (v.size() != 12) {
        return unexpected("checkin");
    }
    CheckinRecord record{text_of(v[0]) == "already", text_of(v[1]), integer_of(v[2]), text_of(v[3]),
                         text_of(v[4]), text_of(v[5]), text_of(v[6])};
    AwardResult award{text_of(v[7]) == "duplicate", text_of(v[8]), integer_of(v[9]), text_of(v[10]), text_of(v[11])};
    return CheckinResult{std::move(record), std::move(award)};
}

// One tap's answer of checkin_sessions: checked_in()'s fields packed into one string when it
// went well (activity.lua: newline-separated, the title last, as it may hold newlines), else
// {'err', code, detail}.
result<CheckinResult, StoreError> packed_checkin_of(server::RedisReply reply) {
    if (reply.type != server::RedisReply::Type::string) {
        auto answer = read_answer(std::move(reply));
        if (!answer) {
            return std::move(answer.error());
        }
        return checkin_result_of(*answer);
    }
    auto const fields = packed_fields<12>(reply.str);
    if (!fields) {
        return unexpected("checkin");
    }
    auto const& f = *fields;  // checked_in()'s order, the title last
    CheckinRecord record{f[0] == "already", std::string(f[1]), integer_in<long long>(f[2]), std::string(f[3]),
                         std::string(f[4]), std::string(f[11]), std::string(f[5])};
    AwardResult award{f[6] == "duplicate", std::string(f[7]), integer_in<long long>(f[8]), std::string(f[9]),
                      std::string(f[10])};
    return CheckinResult{std::move(record), std::move(award)};
}

}  // namespace

std::string_view activity_redis_library() { return embedded::handlers_activity_functions; }

Activity activity_from(server::RedisReply const& view) {
    auto f = read_fields(view);
    Activity a;
    a.id = f["id"];
    a.type = f["type"];
    a.title = f["title"];
    a.branch = f["branch"];
    a.start = integer_in<std::int64_t>(f["start"]);
    a.end = integer_in<std::int64_t>(f["end"]);
    a.place = f["place"];
    a.lat = decimal_in(f["lat"]);
    a.lng = decimal_in(f["lng"]);
    if (!f["radius"].empty()) {
        a.radius = integer_in<int>(f["radius"]);
    }
    a.opens = integer_in<std::int64_t>(f["opens"]);
    a.closes = integer_in<std::int64_t>(f["closes"]);
    a.status = f["status"];
    a.created_by = f["created_by"];
    a.summary = f["summary"];
    a.recorded_by = f["recorded_by"];
    a.recorded_at = integer_in<std::int64_t>(f["recorded_at"]);
    a.cancel_reason = f["cancel_reason"];
    a.checked_in = integer_in<long long>(f["checked_in"]);
    a.on_leave = integer_in<long long>(f["on_leave"]);
    a.mine = f["mine"];
    a.mine_at = integer_in<std::int64_t>(f["mine_at"]);
    return a;
}

namespace {

// The put function's {id, outcome} for `mode` ("create" or "update").
net::awaitable<result<std::vector<server::RedisReply>, StoreError>> put_activity(
    server::RedisClient& redis, Acting const& acting, std::vector<std::string> head, ActivityFields fields) {
    fields.insert(fields.begin(), head.begin(), head.end());
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("put", acting, std::move(fields));
    if (r && r->size() != 2) {
        co_return unexpected("put");
    }
    co_return r;
}

}  // namespace

net::awaitable<result<std::string, StoreError>> create_activity(server::RedisClient& redis, Acting const& acting,
                                                                ActivityFields fields, std::string const& secret) {
    auto r = co_await put_activity(redis, acting, fcall_args("create", "", secret), std::move(fields));
    if (!r) {
        co_return std::move(r.error());
    }
    co_return text_of((*r)[0]);
}

net::awaitable<result<std::string, StoreError>> update_activity(server::RedisClient& redis, Acting const& acting,
                                                                std::string const& id, ActivityFields fields) {
    auto r = co_await put_activity(redis, acting, fcall_args("update", id, ""), std::move(fields));
    if (!r) {
        co_return std::move(r.error());
    }
    co_return text_of((*r)[1]);
}

net::awaitable<result<void, StoreError>> cancel_activity(server::RedisClient& redis, Acting const& acting,
                                                         std::string const& id, std::string const& reason) {
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("cancel", acting, fcall_args(id, reason));
    if (!r) {
        co_return std::move(r.error());
    }
    co_return result<void, StoreError>{};
}

net::awaitable<result<void, StoreError>> record_activity(server::RedisClient& redis, Acting const& acting,
                                                         std::string const& id, std::string const& summary) {
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("record", acting, fcall_args(id, summary));
    if (!r) {
        co_return std::move(r.error());
    }
    co_return result<void, StoreError>{};
}

net::awaitable<result<Activity, StoreError>> get_activity(server::RedisClient& redis, std::string const& id) {
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("get", fcall_args(id));
    if (!r) {
        co_return std::move(r.error());
    }
    if (r->empty()) {
        co_return unexpected("get");
    }
    co_return activity_from(r->front());
}

net::awaitable<result<std::vector<Activity>, StoreError>> list_activities(server::RedisClient& redis,
                                                                          std::int64_t from, std::int64_t to,
                                                                          std::string const& member,
                                                                          std::vector<std::string> branches) {
    branches.insert(branches.begin(), {std::to_string(from), std::to_string(to), member});
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("list", std::move(branches));
    if (!r) {
        co_return std::move(r.error());
    }
    std::vector<Activity> out;
    out.reserve(r->size());
    for (auto const& view : *r) {
        out.push_back(activity_from(view));
    }
    co_return out;
}

net::awaitable<result<CheckinCode, StoreError>> checkin_code(server::RedisClient& redis, std::string const& scope,
                                                             std::string const& id, std::int64_t now,
                                                             std::int64_t period) {
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("code", fcall_args(scope, id, std::to_string(now), std::to_string(period)));
    if (!r) {
        co_return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() != 5) {
        co_return unexpected("code");
    }
    co_return CheckinCode{text_of(v[0]), integer_of(v[1]), text_of(v[2]), integer_of(v[3]), integer_of(v[4])};
}

std::string checkin_rules_arg(PointsRules const& rules) {
    std::string out;
    for (auto const& type : activity_types()) {
        if (auto const* rule = rules.find(type.points)) {  // start-up refuses a file without one
            out += fmt::format("{} {} {} {} {} {};", type.code, rule->action, rule->points, rule->daily_cap,
                               rule->yearly_cap, rule->needs_confirmation ? 1 : 0);
        }
    }
    return out;
}

net::awaitable<result<CheckinResult, StoreError>> store_checkin(server::RedisClient& redis, CheckinCall const& call) {
    RosterStore store(redis, kLibrary);
    auto args = fcall_args(std::to_string(call.now), call.member, call.channel, call.activity, call.code,
                           decimal(call.lat), decimal(call.lng), call.by, call.acting_for, call.scope,
                           std::to_string(call.period), std::to_string(call.grace),
                           std::to_string(call.max_failures), beijing_day(call.now),
                           std::to_string(beijing_year(call.now)), std::to_string(call.rules_version),
                           call.rules);
    auto const by_session = !call.session_hash.empty();
    if (by_session) {
        args.push_back(call.session_hash);
        args.push_back(std::to_string(call.session_ttl_ms));
    }
    auto r = co_await store.call(by_session ? "checkin_session" : "checkin", std::move(args));
    if (!r) {
        co_return std::move(r.error());
    }
    co_return checkin_result_of(*r);
}

bool same_batch(CheckinCall const& a, CheckinCall const& b) {
    return a.period == b.period && a.grace == b.grace && a.max_failures == b.max_failures &&
           a.rules_version == b.rules_version && a.session_ttl_ms == b.session_ttl_ms && a.rules == b.rules;
}

net::awaitable<std::vector<result<CheckinResult, StoreError>>> store_checkins(
    server::RedisClient& redis, std::vector<CheckinCall const*> const& calls) {
    if (calls.empty()) {
        co_return std::vector<result<CheckinResult, StoreError>>{};
    }
    auto const& first = *calls.front();
    auto args = fcall_args(std::to_string(first.period), std::to_string(first.grace),
                           std::to_string(first.max_failures), std::to_string(first.rules_version), first.rules,
                           std::to_string(first.session_ttl_ms));
    args.reserve(args.size() + 9 * calls.size());
    // Taps of one moment share their second: its day and year are worked out once for them.
    std::optional<std::int64_t> second;
    std::string at, day, year;
    for (auto const* c : calls) {
        if (c->now != second) {
            second = c->now;
            at = std::to_string(c->now);
            day = beijing_day(c->now);
            year = std::to_string(beijing_year(c->now));
        }
        args.push_back(at);
        args.push_back(day);
        args.push_back(year);
        args.push_back(c->session_hash);
        args.push_back(c->channel);
        args.push_back(c->activity);
        args.push_back(c->code);
        args.push_back(decimal(c->lat));
        args.push_back(decimal(c->lng));
    }
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("checkin_sessions", std::move(args));
    co_return read_each<CheckinResult>(std::move(r), calls.size(), &packed_checkin_of);
}

net::awaitable<result<LeaveRecord, StoreError>> store_leave(server::RedisClient& redis, LeaveCall const& call) {
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call(
        "leave", fcall_args(std::to_string(call.now), call.member, call.activity, call.reason, call.by, call.acting_for));
    if (!r) {
        co_return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() != 4) {
        co_return unexpected("leave");
    }
    co_return LeaveRecord{text_of(v[0]) == "updated", text_of(v[1]), text_of(v[2]), integer_of(v[3])};
}

net::awaitable<result<Attendance, StoreError>> activity_attendance(server::RedisClient& redis,
                                                                   std::string const& scope, std::string const& id) {
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("attendance", fcall_args(scope, id));
    if (!r) {
        co_return std::move(r.error());
    }
    if (r->empty()) {
        co_return unexpected("attendance");
    }
    Attendance out{activity_from(r->front()), {}};
    for (auto it = r->begin() + 1; it != r->end(); ++it) {
        auto const& x = it->elements;
        if (x.size() == 8) {
            out.rows.push_back({text_of(x[0]), text_of(x[1]), text_of(x[2]), integer_of(x[3]), text_of(x[4]),
                                text_of(x[5]), text_of(x[6]), text_of(x[7])});
        }
    }
    co_return out;
}

net::awaitable<result<std::vector<BranchMonth>, StoreError>> branch_months(server::RedisClient& redis,
                                                                           std::string const& scope,
                                                                           std::int64_t from, std::int64_t to,
                                                                           std::vector<std::string> branches) {
    branches.insert(branches.begin(), {scope, std::to_string(from), std::to_string(to)});
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("month", std::move(branches));
    if (!r) {
        co_return std::move(r.error());
    }
    std::vector<BranchMonth> out;
    for (auto const& b : *r) {
        auto const& x = b.elements;
        if (x.size() < 3) {
            continue;
        }
        BranchMonth m{text_of(x[0]), text_of(x[1]), integer_of(x[2]), {}};
        for (auto it = x.begin() + 3; it != x.end(); ++it) {
            auto const& y = it->elements;
            if (y.size() == 9) {
                m.activities.push_back({text_of(y[0]), text_of(y[1]), text_of(y[2]), integer_of(y[3]), text_of(y[4]),
                                        integer_of(y[5]), integer_of(y[6]), integer_of(y[7]), integer_of(y[8])});
            }
        }
        out.push_back(std::move(m));
    }
    co_return out;
}

}  // namespace bense::handlers

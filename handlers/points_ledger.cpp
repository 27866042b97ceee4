// See points_ledger.hpp.
#include "handlers/points_ledger.hpp"

#include "handlers/roster_errors.hpp"
#include "server/json.hpp"

#include <charconv>

namespace bense::embedded {
extern std::string_view const handlers_points_functions;
}  // namespace bense::embedded

namespace bense::handlers {

std::string_view points_redis_library() { return embedded::handlers_points_functions; }

net::awaitable<result<AwardResult, StoreError>> award(server::RedisClient& redis, PointsRules const& rules,
                                                      AwardRequest const& request) {
    auto const* rule = rules.find(request.action);
    if (rule == nullptr) {
        co_return StoreError{roster_errc::points_unknown_action, request.action};
    }
    if (rule->reason_required && request.reason.empty()) {
        co_return StoreError{roster_errc::points_reason_required, {}};
    }
    int points = rule->points;
    if (rule->amount_from_caller) {
        if (!request.amount || *request.amount == 0 || *request.amount < -100 || *request.amount > 100) {
            co_return StoreError{roster_errc::points_bad_amount, {}};
        }
        points = *request.amount;
    } else if (request.amount) {
        co_return StoreError{roster_errc::points_bad_amount, {}};
    }
    RosterStore store(redis, "bense_points_");
    auto args = fcall_args(request.member, request.action, std::to_string(points), std::to_string(rule->daily_cap),
                           std::to_string(rule->yearly_cap), std::to_string(rules.version), request.reference,
                           request.acted_by, request.acting_for, std::to_string(request.at),
                           beijing_day(request.at), std::to_string(beijing_year(request.at)), request.reason);
    auto r = co_await store.call("award", std::move(args));
    if (!r) {
        co_return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() != 4) {
        co_return StoreError{server::errc::store_error, "unexpected award answer"};
    }
    AwardResult out;
    out.duplicate = v[0].text().value_or("") == "duplicate";
    out.entry = std::string(v[1].text().value_or(""));
    out.points = v[2].as_integer().value_or(0);
    out.capped = std::string(v[3].text().value_or(""));
    co_return out;
}

net::awaitable<result<PointsHistory, StoreError>> points_history(server::RedisClient& redis,
                                                                 std::string const& member, int year,
                                                                 std::string const& before, int count) {
    RosterStore store(redis, "bense_points_");
    auto r = co_await store.call("history", fcall_args(member, std::to_string(year), before, std::to_string(count)));
    if (!r) {
        co_return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() != 3) {
        co_return StoreError{server::errc::store_error, "unexpected history answer"};
    }
    PointsHistory h;
    h.total = v[0].as_integer().value_or(0);
    h.year_total = v[1].as_integer().value_or(0);
    for (auto const& e : v[2].elements) {
        if (e.elements.size() != 2) {
            continue;
        }
        auto f = read_fields(e.elements[1]);
        PointsEntry entry{std::string(e.elements[0].text().value_or("")), f["action"], 0, f["capped"], 0, f["reason"]};
        std::from_chars(f["points"].data(), f["points"].data() + f["points"].size(), entry.points);
        std::from_chars(f["at"].data(), f["at"].data() + f["at"].size(), entry.at);
        h.entries.push_back(std::move(entry));
    }
    co_return h;
}

std::string points_history_json(PointsHistory const& h, int year, PointsRules const& rules) {
    rapidjson::StringBuffer buf;
    server::JsonWriter w(buf);
    w.StartObject();
    server::write_key(w, "year");
    w.Int(year);
    server::write_key(w, "year_total");
    w.Int64(h.year_total);
    server::write_key(w, "total");
    w.Int64(h.total);
    server::write_key(w, "entries");
    w.StartArray();
    for (auto const& e : h.entries) {
        auto const* rule = rules.find(e.action);
        w.StartObject();
        for (auto [k, v] : {std::pair<char const*, std::string const*>{"id", &e.id}, {"action", &e.action},
                            {"name", rule ? &rule->name : &e.action}, {"capped", &e.capped}, {"reason", &e.reason}}) {
            server::write_key(w, k);
            server::write_string(w, *v);
        }
        server::write_key(w, "points");
        w.Int64(e.points);
        server::write_key(w, "at");
        w.Int64(e.at);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

}  // namespace bense::handlers

// See points_ledger.hpp.
#include "handlers/points_ledger.hpp"

#include "handlers/roster_errors.hpp"

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

}  // namespace bense::handlers

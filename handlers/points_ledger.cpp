// See points_ledger.hpp.
#include "handlers/points_ledger.hpp"

#include "handlers/points_batch.hpp"
#include "handlers/roster_errors.hpp"


namespace bense::embedded {
extern std::string_view const handlers_points_functions;
}  // namespace bense::embedded

namespace bense::handlers {

std::string_view points_redis_library() { return embedded::handlers_points_functions; }

namespace {

constexpr std::string_view kLibrary = "bense_points_";

// {'ok', outcome, entry, points, capped, status} as an AwardResult.
result<AwardResult, StoreError> award_result(result<std::vector<server::RedisReply>, StoreError> r) {
    if (!r) {
        return std::move(r.error());
    }
    auto const& v = *r;
    if (v.size() != 5) {
        return StoreError{server::errc::store_error, "unexpected award answer"};
    }
    AwardResult out;
    out.duplicate = v[0].text().value_or("") == "duplicate";
    out.entry = std::string(v[1].text().value_or(""));
    out.points = v[2].as_integer().value_or(0);
    out.capped = std::string(v[3].text().value_or(""));
    out.status = std::string(v[4].text().value_or(""));
    return out;
}

// One award's answer of award_many: award_result()'s fields packed into one string
// (packed_award() in points.lua), or {'err', code, detail}.
result<AwardResult, StoreError> packed_award_result(server::RedisReply reply) {
    if (reply.type != server::RedisReply::Type::string) {
        return award_result(read_answer(std::move(reply)));
    }
    auto const f = packed_fields<5>(reply.str);
    if (!f) {
        return StoreError{server::errc::store_error, "unexpected award answer"};
    }
    AwardResult out;
    out.duplicate = (*f)[0] == "duplicate";
    out.entry = std::string((*f)[1]);
    out.points = integer_in<long long>((*f)[2]);
    out.capped = std::string((*f)[3]);
    out.status = std::string((*f)[4]);
    return out;
}

// Checks the amount of a rule that takes it from the caller: a deduction is negative, any
// other manual rule positive, and at most 100 either way.
bool amount_fits(PointsRule const& rule, int amount) {
    bool const deduction = rule.action.ends_with(".deduct");
    return amount != 0 && amount >= -100 && amount <= 100 && (amount < 0) == deduction;
}

}  // namespace

result<AwardCall, StoreError> award_call(PointsRules const& rules, AwardRequest const& request) {
    auto const* rule = rules.find(request.action);
    if (rule == nullptr) {
        return StoreError{roster_errc::points_unknown_action, request.action};
    }
    if (rule->reason_required && request.reason.empty()) {
        return StoreError{roster_errc::points_reason_required, {}};
    }
    int points = rule->points;
    if (rule->amount_from_caller) {
        if (!request.amount || !amount_fits(*rule, *request.amount)) {
            return StoreError{roster_errc::points_bad_amount, {}};
        }
        points = *request.amount;
    } else if (request.amount) {
        return StoreError{roster_errc::points_bad_amount, {}};
    }
    bool const pending = rule->needs_confirmation && !request.confirmed;
    return AwardCall{fcall_args(request.member, request.action, std::to_string(points), std::to_string(rule->daily_cap),
                                std::to_string(rule->yearly_cap), std::to_string(rules.version), request.reference,
                                request.acted_by, request.acting_for, std::to_string(request.at),
                                beijing_day(request.at), std::to_string(beijing_year(request.at)), request.reason,
                                request.scope, pending ? "1" : "0")};
}

net::awaitable<AwardAnswer> award(server::RedisClient& redis, PointsRules const& rules, AwardRequest const& request,
                                  AwardBatcher* batcher) {
    auto call = award_call(rules, request);
    if (!call) {
        co_return std::move(call.error());
    }
    co_return co_await send_award(redis, std::move(*call), batcher);
}

net::awaitable<AwardAnswer> send_award(server::RedisClient& redis, AwardCall call, AwardBatcher* batcher) {
    if (batcher != nullptr) {
        co_return co_await batcher->award(call);
    }
    RosterStore store(redis, kLibrary);
    co_return award_result(co_await store.call("award", std::move(call.args)));
}

net::awaitable<std::vector<AwardAnswer>> store_awards(server::RedisClient& redis,
                                                      std::vector<AwardCall const*> const& calls) {
    if (calls.empty()) {
        co_return std::vector<AwardAnswer>{};
    }
    std::vector<std::string> args;
    args.reserve(calls.size() * calls.front()->args.size());
    for (auto const* c : calls) {
        args.insert(args.end(), c->args.begin(), c->args.end());
    }
    RosterStore store(redis, kLibrary);
    auto r = co_await store.call("award_many", std::move(args));
    co_return read_each<AwardResult>(std::move(r), calls.size(), &packed_award_result);
}

net::awaitable<result<AwardResult, StoreError>> decide(server::RedisClient& redis, PointsRules const& rules,
                                                       EntryChange const& change, bool confirm) {
    if (!confirm && change.reason.empty()) {
        co_return StoreError{roster_errc::points_reason_required, {}};
    }
    auto args = fcall_args(change.scope, change.member, change.entry, confirm ? "confirm" : "reject",
                           change.acted_by, std::to_string(change.at), beijing_day(change.at),
                           std::to_string(beijing_year(change.at)), change.reason);
    for (auto const& rule : rules.rules) {
        if (rule.needs_confirmation) {
            args.insert(args.end(), {rule.action, std::to_string(rule.daily_cap), std::to_string(rule.yearly_cap)});
        }
    }
    RosterStore store(redis, kLibrary);
    co_return award_result(co_await store.call("decide", std::move(args)));
}

net::awaitable<result<AwardResult, StoreError>> reverse(server::RedisClient& redis, EntryChange const& change) {
    if (change.reason.empty()) {
        co_return StoreError{roster_errc::points_reason_required, {}};
    }
    auto args = fcall_args(change.scope, change.member, change.entry, change.acted_by, std::to_string(change.at),
                           change.reason, std::to_string(beijing_year(change.at)));
    RosterStore store(redis, kLibrary);
    co_return award_result(co_await store.call("reverse", std::move(args)));
}

}  // namespace bense::handlers

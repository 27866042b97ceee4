// The one way points are given: award() applies a rule from config/points.jsonc to a member
// once per reference (a check-in, a lecture finished, a vote), through the bense_points
// Redis function: caps, the append-only ledger entry, the member's and the branch's totals,
// all in one atomic step. Corrections are new entries (a deduction, a reversal, a secretary's
// decision on a pending entry), never edits. Reading the ledger: points_views.hpp.
#pragma once

#include "handlers/points_rules.hpp"
#include "handlers/roster_store.hpp"
#include "server/redis_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bense::handlers {

// `acted_by` of an award whose caller the ledger's function finds: "bureau_token:<SHA-256 of
// the token>" becomes "token:<its id>", or the award is refused with auth.unauthorized.
inline constexpr std::string_view kBureauTokenActor = "bureau_token:";

struct AwardRequest {
    std::string member;      // member number
    std::string action;      // a rule's action id
    std::string reference;   // what it is for, e.g. "checkin:<activity>"; once per member
    std::string acted_by;    // who did it ("member:m1", "token:…", "cli", kBureauTokenActor…)
    std::string acting_for;  // the member acted for by a proxy, or ""
    std::string reason;      // required by rules that say so
    std::int64_t at = 0;     // unix seconds; its Beijing day and year decide the caps
    std::optional<int> amount;  // the caller's points, for rules that take them (manual.*)
    std::string scope = "*";    // the caller's admin scope: a member of another branch is refused
    // Whether the caller may confirm it: a rule that needs a secretary's confirmation leaves
    // the entry pending (0 points) unless the secretary or the bureau is the one awarding.
    bool confirmed = false;
};

struct AwardResult {
    bool duplicate = false;  // the reference had been awarded before: nothing changed
    std::string entry;       // the ledger entry id
    long long points = 0;    // what was granted (0 when a cap left nothing)
    std::string capped;      // "", "daily" or "yearly"
    std::string status;      // "", "pending", "confirmed", "rejected" or "reversal"
};

using AwardAnswer = result<AwardResult, StoreError>;
class AwardBatcher;

// With `batcher` (the worker's, points_batch.hpp) the award goes to Redis with the others of
// the moment; without, in a call of its own.
net::awaitable<AwardAnswer> award(server::RedisClient& redis, PointsRules const& rules, AwardRequest const& request,
                                  AwardBatcher* batcher = nullptr);

// An award checked against its rule, as the ledger's function takes it.
struct AwardCall {
    std::vector<std::string> args;
};

// The request as a call to the ledger, or why it cannot be one (an unknown action, a missing
// reason, an amount the rule does not take).
result<AwardCall, StoreError> award_call(PointsRules const& rules, AwardRequest const& request);

// award() for a call made already.
net::awaitable<AwardAnswer> send_award(server::RedisClient& redis, AwardCall call, AwardBatcher* batcher = nullptr);

// Sends the calls in one go (bense_points_award_many); each answered, in order, as it would
// be alone.
net::awaitable<std::vector<AwardAnswer>> store_awards(server::RedisClient& redis,
                                                      std::vector<AwardCall const*> const& calls);

// A change to an entry already in the ledger, made by writing a new one.
struct EntryChange {
    std::string member;
    std::string entry;     // the ledger entry id it is about
    std::string acted_by;
    std::string reason;    // required for a reversal and a rejection
    std::int64_t at = 0;
    std::string scope = "*";
};

// The secretary's decision on a pending entry: confirmed, the asked points within the caps of
// the day of the decision; rejected, 0 points. Once per entry (a second call answers the
// first decision as a duplicate).
net::awaitable<result<AwardResult, StoreError>> decide(server::RedisClient& redis, PointsRules const& rules,
                                                       EntryChange const& change, bool confirm);

// A reversal (冲正): takes back what the entry granted, once; the original stays in the ledger.
net::awaitable<result<AwardResult, StoreError>> reverse(server::RedisClient& redis, EntryChange const& change);

// The embedded Lua library (bense_points).
std::string_view points_redis_library();

}  // namespace bense::handlers

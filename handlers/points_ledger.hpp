// The one way points are given: award() applies a rule from config/points.jsonc to a member
// once per reference (a check-in, a lecture finished, a vote), through the bense_points
// Redis function: caps, the append-only ledger entry, the member's and the branch's totals,
// all in one atomic step. Corrections are new entries (a deduction), never edits.
#pragma once

#include "handlers/points_rules.hpp"
#include "handlers/roster_store.hpp"
#include "server/redis_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bense::handlers {

struct AwardRequest {
    std::string member;      // member number
    std::string action;      // a rule's action id
    std::string reference;   // what it is for, e.g. "checkin:<activity>"; once per member
    std::string acted_by;    // who did it ("member:m1", "token:…", "cli")
    std::string acting_for;  // the member acted for by a proxy, or ""
    std::string reason;      // required by rules that say so
    std::int64_t at = 0;     // unix seconds; its Beijing day and year decide the caps
    std::optional<int> amount;  // the caller's points, for rules that take them (manual.*)
};

struct AwardResult {
    bool duplicate = false;  // the reference had been awarded before: nothing changed
    std::string entry;       // the ledger entry id
    long long points = 0;    // what was granted (0 when a cap left nothing)
    std::string capped;      // "", "daily" or "yearly"
};

net::awaitable<result<AwardResult, StoreError>> award(server::RedisClient& redis, PointsRules const& rules,
                                                      AwardRequest const& request);

struct PointsEntry {
    std::string id;
    std::string action;
    long long points = 0;
    std::string capped;
    std::int64_t at = 0;
    std::string reason;
};

struct PointsHistory {
    long long total = 0;       // lifetime
    long long year_total = 0;  // this Beijing year
    std::vector<PointsEntry> entries;  // newest first
};

// A member's totals and a page of their ledger: `count` entries before entry `before` ("":
// the newest).
net::awaitable<result<PointsHistory, StoreError>> points_history(server::RedisClient& redis,
                                                                 std::string const& member, int year,
                                                                 std::string const& before, int count);

// {"year","year_total","total","entries":[{"id","action","name","points","capped","at","reason"}]},
// each entry named by its rule (the action itself for a rule no longer in the file).
std::string points_history_json(PointsHistory const& h, int year, PointsRules const& rules);

// The embedded Lua library (bense_points).
std::string_view points_redis_library();

}  // namespace bense::handlers

// Reading the points ledger: a member's own totals and history, a branch's members and
// aggregate for its secretary, every branch for the bureau, and the entries waiting for a
// secretary's confirmation. Members are listed by number, never by points: a ranking is only
// rendered inside a branch, for its admins, when the bureau has turned it on.
#pragma once

#include "handlers/points_rules.hpp"
#include "handlers/roster_store.hpp"
#include "server/redis_client.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bense::handlers {

struct PointsEntry {
    std::string id;
    std::string action;
    long long points = 0;
    std::string capped;
    std::int64_t at = 0;
    std::string reason;
    std::string status;     // "", "pending", "confirmed", "rejected", "reversal"
    std::string reference;  // what it was for
    std::string by;         // who acted
    std::string acting_for; // for whom, when a proxy acted
    std::string about;      // the entry a reversal or a decision is about
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
// Every entry of a member's ledger, newest first (for the export).
net::awaitable<result<PointsHistory, StoreError>> whole_ledger(server::RedisClient& redis,
                                                               std::string const& member, int year);

// {"year","year_total","total","entries":[{"id","action","name","points","capped","at","reason"}]},
// each entry named by its rule (the action itself for a rule no longer in the file). With
// `for_admin`, entries also carry status, reference, by, for and about.
std::string points_history_json(PointsHistory const& h, int year, PointsRules const& rules, bool for_admin = false);

struct MemberPoints {
    std::string number;
    std::string name;
    long long year_total = 0;
    long long total = 0;
};

struct BranchPoints {
    std::string id;
    std::string name;
    long long year_total = 0;
    long long total = 0;
    long long members = 0;
    bool ranking = false;               // the bureau's setting for this branch
    std::vector<MemberPoints> people;   // by member number
};

// One branch with its members, for a caller of `scope`.
net::awaitable<result<BranchPoints, StoreError>> branch_points(server::RedisClient& redis, std::string const& scope,
                                                               std::string const& branch, int year);
// Every branch without members (the bureau only).
net::awaitable<result<std::vector<BranchPoints>, StoreError>> all_branch_points(server::RedisClient& redis,
                                                                                std::string const& scope, int year);

// {"id","name","year","year_total","total","ranking_enabled","members":[...by number],
//  "ranking":[{"rank","number","name","year_total"}] only when enabled}.
std::string branch_points_json(BranchPoints const& b, int year);
// {"year","branches":[{"id","name","year_total","total","members"}]}
std::string all_branch_points_json(std::vector<BranchPoints> const& all, int year);

// The bureau's in-branch ranking setting; audited.
net::awaitable<result<void, StoreError>> set_branch_ranking(server::RedisClient& redis, Acting const& acting,
                                                            std::string const& branch, bool on);

struct PendingEntry {
    std::string number;
    std::string name;
    std::string entry;
    std::string action;
    long long asked = 0;
    std::int64_t at = 0;
    std::string by;
    std::string acting_for;
};

net::awaitable<result<std::vector<PendingEntry>, StoreError>> pending_entries(server::RedisClient& redis,
                                                                              std::string const& scope,
                                                                              std::string const& branch);
// {"branch","pending":[{"number","name","entry","action","name_of_action","points","at","by","for"}]}
std::string pending_json(std::string const& branch, std::vector<PendingEntry> const& pending,
                         PointsRules const& rules);

// A member's ledger as CSV for Excel (UTF-8 with BOM), oldest first.
std::string ledger_csv(std::string const& member, PointsHistory const& h, PointsRules const& rules);

}  // namespace bense::handlers

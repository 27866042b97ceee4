// What branches did in a half-year, read from the store for their assessment: the activities
// held (not cancelled, started by now) with who was expected and who came, and the lectures
// the ledger counted. The care ledger does not exist yet: its part is left out.
#pragma once

#include "handlers/assessment.hpp"
#include "handlers/roster_store.hpp"
#include "server/redis_client.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bense::handlers {

// The points rule whose entries count as lectures published.
inline constexpr std::string_view kLecturePublishAction = "lecture.publish";

// Facts of `branches` (each in `scope`) for `half`, as of `now`.
net::awaitable<result<std::vector<BranchFacts>, StoreError>> assessment_facts(server::RedisClient& redis,
                                                                              std::string const& scope,
                                                                              HalfYear const& half, std::int64_t now,
                                                                              std::vector<std::string> branches);

// Every branch id, sorted (the bureau's assessment covers them all).
net::awaitable<result<std::vector<std::string>, StoreError>> all_branch_ids(server::RedisClient& redis);

// The assessments of `branches`, best score first (branches are ranked; people never are).
net::awaitable<result<std::vector<Assessment>, StoreError>> assess_branches(server::RedisClient& redis,
                                                                            AssessmentRules const& rules,
                                                                            std::string const& scope,
                                                                            HalfYear const& half, std::int64_t now,
                                                                            std::vector<std::string> branches);

}  // namespace bense::handlers

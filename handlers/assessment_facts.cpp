// See assessment_facts.hpp.
#include "handlers/assessment_facts.hpp"

#include "server/errors.hpp"

#include <algorithm>

namespace bense::handlers {
namespace {

long long integer_of(server::RedisReply const& r) { return r.as_integer().value_or(0); }
std::string text_of(server::RedisReply const& r) { return std::string(r.text().value_or("")); }

}  // namespace

net::awaitable<result<std::vector<BranchFacts>, StoreError>> assessment_facts(server::RedisClient& redis,
                                                                              std::string const& scope,
                                                                              HalfYear const& half, std::int64_t now,
                                                                              std::vector<std::string> branches) {
    branches.insert(branches.begin(), {scope, std::to_string(half.start()), std::to_string(half.end() - 1),
                                       std::to_string(now), half.label() + ":" + std::string(kLecturePublishAction)});
    RosterStore store(redis, "bense_activity_");
    auto r = co_await store.call("assessment", std::move(branches));
    if (!r) {
        co_return std::move(r.error());
    }
    std::vector<BranchFacts> out;
    for (auto const& b : *r) {
        auto const& x = b.elements;
        if (x.size() < 5) {
            co_return StoreError{server::errc::store_error, "unexpected assessment answer"};
        }
        BranchFacts f;
        f.branch = text_of(x[0]);
        f.branch_name = text_of(x[1]);
        f.current_tier = text_of(x[2]);
        f.lectures_published = static_cast<int>(integer_of(x[4]));
        for (auto it = x.begin() + 5; it != x.end(); ++it) {
            auto const& a = it->elements;
            if (a.size() != 4) {
                continue;
            }
            f.held.push_back({text_of(a[0]), beijing_month(integer_of(a[1]))});
            f.expected_seats += integer_of(a[2]);
            f.attended += integer_of(a[3]);
        }
        out.push_back(std::move(f));
    }
    co_return out;
}

net::awaitable<result<std::vector<std::string>, StoreError>> all_branch_ids(server::RedisClient& redis) {
    server::RedisClient::Argv argv{"SMEMBERS", "bense:{roster}:branches"};  // named: see fcall_args
    auto [ec, reply] = co_await redis.exec(std::move(argv));
    if (ec) {
        co_return StoreError{ec, {}};
    }
    std::vector<std::string> ids;
    for (auto const& e : reply.elements) {
        ids.push_back(text_of(e));
    }
    std::sort(ids.begin(), ids.end());
    co_return ids;
}

net::awaitable<result<std::vector<Assessment>, StoreError>> assess_branches(server::RedisClient& redis,
                                                                            AssessmentRules const& rules,
                                                                            std::string const& scope,
                                                                            HalfYear const& half, std::int64_t now,
                                                                            std::vector<std::string> branches) {
    auto facts = co_await assessment_facts(redis, scope, half, now, std::move(branches));
    if (!facts) {
        co_return std::move(facts.error());
    }
    std::vector<Assessment> out;
    out.reserve(facts->size());
    for (auto const& f : *facts) {
        out.push_back(assess(rules, half, f));
    }
    std::stable_sort(out.begin(), out.end(), [](Assessment const& a, Assessment const& b) { return a.score > b.score; });
    co_return out;
}

}  // namespace bense::handlers

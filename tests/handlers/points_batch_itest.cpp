// Awards sent together against real Redis: awards that wait for a batch in Redis go in the
// next call, each answered as it would be alone (a repeat, a member unknown or of another
// branch, a step that fails inside Redis, a cap reached inside the batch), and the branches'
// totals count every award once.
#include "handlers/points_batch.hpp"

#include "handlers/points_ledger.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_store.hpp"
#include "server/runtime.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace bense;
using namespace bense::handlers;
using bense::test::entry_fields;
using bense::test::shared_redis;

namespace {

constexpr std::int64_t kNow = 1796097600;  // 2026-12-01 12:00 Beijing time

// Members m1..m6 (m1..m4 in b1, m5 and m6 in b2); a Redis client with the project's
// functions, and a batcher on it, on one thread.
struct Awards {
    net::io_context ioc{1};
    net::executor_work_guard<net::io_context::executor_type> guard{ioc.get_executor()};
    std::unique_ptr<server::RedisClient> redis;
    std::shared_ptr<AwardBatcher> batcher;
    std::thread thread;
    PointsRules rules;

    Awards() {
        auto& r = shared_redis();
        r.flushall();
        for (int i = 1; i <= 6; ++i) {
            auto no = "m" + std::to_string(i);
            r.command({"HSET", "bense:{roster}:member:" + no, "number", no, "name", "成员" + no, "branch",
                       i <= 4 ? "b1" : "b2", "status", "active"});
        }
        rules.version = 1;
        rules.rules = {PointsRule{"lecture.read", "学习微党课", 2, false, 4, 0, false, false},
                       PointsRule{"volunteer.service", "志愿服务", 10, false, 0, 0, true, false}};
        server::RedisClient::Options o;
        o.config.address = r.address();
        o.function_libraries = {server::server_redis_library(), roster_redis_library(), points_redis_library()};
        redis = std::make_unique<server::RedisClient>(ioc.get_executor(), o);
        redis->start();
        batcher = std::make_shared<AwardBatcher>(*redis);
        thread = std::thread([this] { ioc.run(); });
        for (int i = 0; i < 200 && !redis->ready(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(redis->ready());
    }
    ~Awards() {
        net::post(ioc, [this] { redis->close(); });
        guard.reset();
        thread.join();
    }

    static AwardRequest read(std::string member, std::string ref, std::string scope = "*") {
        AwardRequest r;
        r.member = std::move(member);
        r.action = "lecture.read";
        r.reference = std::move(ref);
        r.acted_by = "member:" + r.member;
        r.at = kNow;
        r.scope = std::move(scope);
        return r;
    }

    // Hands every request to award() in one turn of the thread, so that all but the first
    // find a batch in Redis; the answers in the order of the requests.
    std::vector<AwardAnswer> all_at_once(std::vector<AwardRequest> requests) {
        std::vector<std::future<AwardAnswer>> futures;
        std::promise<void> queued;
        net::post(ioc, [&] {
            for (auto const& r : requests) {
                futures.push_back(net::co_spawn(ioc, award(*redis, rules, r, batcher.get()), net::use_future));
            }
            queued.set_value();
        });
        queued.get_future().wait();
        std::vector<AwardAnswer> out;
        for (auto& f : futures) {
            out.push_back(f.get());
        }
        return out;
    }

    long long field(std::string const& key, std::string const& f) const {
        return shared_redis().command({"HGET", key, f}).as_integer().value_or(0);
    }
    long long entries(std::string const& no) const {
        return shared_redis().command({"XLEN", "bense:{roster}:points:" + no + ":ledger"}).integer;
    }
};

}  // namespace

TEST_CASE("awards that wait for a batch in Redis go together, each answered as alone", "[points][batch]") {
    Awards a;
    std::vector<AwardRequest> requests;
    for (int i = 1; i <= 6; ++i) {
        requests.push_back(Awards::read("m" + std::to_string(i), "lecture:l1"));
    }
    requests.push_back(Awards::read("m2", "lecture:l1"));      // 6: m2 again, in the same batch
    requests.push_back(Awards::read("m1", "lecture:l2"));      // 7: m1's second lecture of the day
    requests.push_back(Awards::read("m1", "lecture:l3"));      // 8: and third, past the daily cap of 4
    requests.push_back(Awards::read("m404", "lecture:l1"));    // 9: no such member
    requests.push_back(Awards::read("m5", "lecture:l2", "b1"));  // 10: a secretary of b1, for b2's member
    auto pending = Awards::read("m3", "service:s1");           // 11: waits for the secretary
    pending.action = "volunteer.service";
    requests.push_back(pending);
    auto answers = a.all_at_once(std::move(requests));

    // The first went alone; the eleven that came while it was in Redis, in one call.
    CHECK(a.batcher->batches() == 2);
    CHECK(a.batcher->calls() == 12);
    REQUIRE(answers.size() == 12);
    for (int i = 0; i < 6; ++i) {
        INFO("m" << i + 1);
        REQUIRE(answers[i].has_value());
        CHECK_FALSE(answers[i]->duplicate);
        CHECK(answers[i]->points == 2);
    }
    REQUIRE(answers[6].has_value());
    CHECK(answers[6]->duplicate);
    CHECK(answers[6]->entry == answers[1]->entry);
    REQUIRE(answers[7].has_value());
    CHECK(answers[7]->points == 2);
    REQUIRE(answers[8].has_value());
    CHECK(answers[8]->points == 0);
    CHECK(answers[8]->capped == "daily");
    REQUIRE_FALSE(answers[9].has_value());
    CHECK(answers[9].error().ec == roster_errc::member_not_found);
    REQUIRE_FALSE(answers[10].has_value());
    CHECK(answers[10].error().ec == server::errc::forbidden);
    REQUIRE(answers[11].has_value());
    CHECK(answers[11]->status == "pending");
    CHECK(answers[11]->points == 0);

    // One entry per reference; each branch's totals count each award once.
    CHECK(a.entries("m1") == 3);
    CHECK(a.entries("m2") == 1);
    CHECK(a.entries("m3") == 2);
    CHECK(a.entries("m5") == 1);
    CHECK(a.field("bense:{roster}:points:m1", "total") == 4);
    CHECK(a.field("bense:{roster}:points:m2", "total") == 2);
    CHECK(a.field("bense:{roster}:points:branch:b1", "y:2026") == 10);
    CHECK(a.field("bense:{roster}:points:branch:b1", "total") == 10);
    CHECK(a.field("bense:{roster}:points:branch:b1", "n:2026H2:lecture.read") == 6);
    CHECK(a.field("bense:{roster}:points:branch:b2", "y:2026") == 4);
    CHECK(a.field("bense:{roster}:points:branch:b2", "n:2026H2:lecture.read") == 2);
    CHECK(shared_redis().command({"HLEN", "bense:{roster}:points:pending:b1"}).integer == 1);
}

TEST_CASE("an award that fails inside Redis fails alone", "[points][batch]") {
    Awards a;
    // m3's points are no hash: every read and write of them is refused by Redis.
    shared_redis().command({"SET", "bense:{roster}:points:m3", "not a hash"});
    std::vector<AwardRequest> requests;
    for (int i = 1; i <= 4; ++i) {
        requests.push_back(Awards::read("m" + std::to_string(i), "lecture:l1"));
    }
    auto answers = a.all_at_once(std::move(requests));
    REQUIRE(answers.size() == 4);
    REQUIRE_FALSE(answers[2].has_value());
    CHECK(answers[2].error().ec == server::errc::store_error);
    for (int i : {0, 1, 3}) {
        REQUIRE(answers[i].has_value());
        CHECK(answers[i]->points == 2);
    }
    CHECK(a.field("bense:{roster}:points:branch:b1", "y:2026") == 6);
    CHECK(a.field("bense:{roster}:points:branch:b1", "n:2026H2:lecture.read") == 3);
}

TEST_CASE("each award of a batch is answered for its own actor, a bureau token found once", "[points][batch]") {
    Awards a;
    // A bureau token as the roster keeps it (only its SHA-256 is stored), and one that is none.
    std::string const known(64, 'a');
    std::string const unknown(64, 'b');
    shared_redis().command({"HSET", "bense:{roster}:token:" + known, "id", "t7"});
    auto by = [](std::string member, std::string ref, std::string acted_by) {
        auto r = Awards::read(std::move(member), std::move(ref));
        r.acted_by = std::move(acted_by);
        return r;
    };
    auto answers = a.all_at_once({
        by("m1", "lecture:l0", "member:m1"),                // alone: the batch below waits for it
        by("m1", "lecture:l1", "bureau_token:" + known),
        by("m2", "lecture:l1", "bureau_token:" + unknown),  // refused, alone
        by("m3", "lecture:l1", "bureau_token:" + known),    // the same token again
        by("m4", "lecture:l1", "member:m4"),
        by("m2", "lecture:l2", "bureau_token:" + unknown),  // refused again
    });
    CHECK(a.batcher->batches() == 2);
    REQUIRE(answers.size() == 6);
    for (int i : {0, 1, 3, 4}) {
        INFO(i);
        REQUIRE(answers[i].has_value());
        CHECK(answers[i]->points == 2);
    }
    for (int i : {2, 5}) {
        INFO(i);
        REQUIRE_FALSE(answers[i].has_value());
        CHECK(answers[i].error().ec == server::errc::unauthorized);
    }
    auto by_of = [](std::string const& no) {
        auto e = shared_redis().command({"XREVRANGE", "bense:{roster}:points:" + no + ":ledger", "+", "-", "COUNT", "1"});
        REQUIRE(e.elements.size() == 1);
        return entry_fields(e.elements[0])["by"];
    };
    CHECK(by_of("m1") == "token:t7");
    CHECK(by_of("m3") == "token:t7");
    CHECK(by_of("m4") == "member:m4");
    CHECK(a.entries("m2") == 0);
}

TEST_CASE("an award its rule refuses is answered without going to Redis", "[points][batch]") {
    Awards a;
    auto unknown = Awards::read("m1", "x:1");
    unknown.action = "no.such.action";
    auto amount = Awards::read("m1", "x:2");
    amount.amount = 5;  // lecture.read takes no amount from the caller
    auto answers = a.all_at_once({unknown, amount});
    REQUIRE_FALSE(answers[0].has_value());
    CHECK(answers[0].error().ec == roster_errc::points_unknown_action);
    REQUIRE_FALSE(answers[1].has_value());
    CHECK(answers[1].error().ec == roster_errc::points_bad_amount);
    CHECK(a.batcher->batches() == 0);
    CHECK(shared_redis().command({"KEYS", "bense:{roster}:points*"}).elements.empty());
}

TEST_CASE("a batch of awards carries at most max_awards", "[points][batch]") {
    Awards a;
    a.batcher = std::make_shared<AwardBatcher>(*a.redis, 2);
    std::vector<AwardRequest> requests;
    for (int i = 1; i <= 6; ++i) {
        requests.push_back(Awards::read("m" + std::to_string(i), "lecture:l1"));
    }
    auto answers = a.all_at_once(std::move(requests));
    CHECK(a.batcher->batches() == 4);  // m1, then m2-m3, m4-m5, m6
    CHECK(a.batcher->calls() == 6);
    for (auto const& answer : answers) {
        REQUIRE(answer.has_value());
        CHECK(answer->points == 2);
    }
    CHECK(a.field("bense:{roster}:points:branch:b1", "y:2026") == 8);
}

TEST_CASE("when Redis cannot be reached, every waiting award is answered with the store's failure",
          "[points][batch]") {
    Awards a;
    std::promise<void> closed;
    net::post(a.ioc, [&] {
        a.redis->close();
        closed.set_value();
    });
    closed.get_future().wait();
    std::vector<AwardRequest> requests;
    for (int i = 1; i <= 4; ++i) {
        requests.push_back(Awards::read("m" + std::to_string(i), "lecture:l1"));
    }
    auto answers = a.all_at_once(std::move(requests));
    REQUIRE(answers.size() == 4);
    for (auto const& answer : answers) {
        REQUIRE_FALSE(answer.has_value());
        CHECK(answer.error().ec == server::errc::store_unavailable);
    }
    CHECK(a.batcher->batches() == 2);
    CHECK(shared_redis().command({"KEYS", "bense:{roster}:points*"}).elements.empty());
}

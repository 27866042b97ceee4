// Members' check-ins sent together against real Redis: taps that wait for a batch in Redis go
// in the next call, each answered as it would be alone (a repeat, an unknown session, a step
// that fails inside Redis), and the branches' totals count every tap once.
#include "handlers/checkin_batch.hpp"

#include "handlers/activity_store.hpp"
#include "handlers/points_ledger.hpp"
#include "handlers/roster_errors.hpp"
#include "handlers/roster_store.hpp"
#include "server/runtime.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/co_spawn.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace bense;
using namespace bense::handlers;
using bense::test::shared_redis;

namespace {

constexpr std::int64_t kNow = 1796097600;  // 2026-12-01 12:00 Beijing time
constexpr std::string_view kRules = "party_day checkin.party_day 5 10 120 0;";

// An activity a1 of city-wide reach with a geofence, members m1..m10 (m1..m6 in b1, the rest
// in b2), each with a session "s<i>" bound to them; a Redis client with the project's
// functions, and a batcher on it, on one thread.
struct Batches {
    net::io_context ioc{1};
    net::executor_work_guard<net::io_context::executor_type> guard{ioc.get_executor()};
    std::unique_ptr<server::RedisClient> redis;
    std::shared_ptr<CheckinBatcher> batcher;
    std::thread thread;

    Batches() {
        auto& r = shared_redis();
        r.flushall();
        r.command({"HSET", "bense:{roster}:activity:a1", "id", "a1", "type", "party_day", "title", "主题党日",
                   "branch", "*", "start", std::to_string(kNow), "opens", std::to_string(kNow - 1800), "closes",
                   std::to_string(kNow + 7200), "status", "scheduled", "lat", "34.810000", "lng", "117.320000",
                   "radius", "200"});
        for (int i = 1; i <= 10; ++i) {
            auto no = "m" + std::to_string(i);
            r.command({"HSET", "bense:{roster}:member:" + no, "number", no, "name", "成员" + no, "branch",
                       i <= 6 ? "b1" : "b2", "status", "active"});
            r.command({"HSET", "bense:{roster}:ident:oa:o-" + no, "member", no, "proxy", "0"});
            r.command({"HSET", "bense:{roster}:session:" + session(i), "ident", "oa:o-" + no, "slid_at",
                       std::to_string(kNow)});
        }
        server::RedisClient::Options o;
        o.config.address = r.address();
        o.function_libraries = {server::server_redis_library(), roster_redis_library(), points_redis_library(),
                                activity_redis_library()};
        redis = std::make_unique<server::RedisClient>(ioc.get_executor(), o);
        redis->start();
        batcher = std::make_shared<CheckinBatcher>(*redis);
        thread = std::thread([this] { ioc.run(); });
        for (int i = 0; i < 200 && !redis->ready(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(redis->ready());
    }
    ~Batches() {
        net::post(ioc, [this] { redis->close(); });
        guard.reset();
        thread.join();
    }

    static std::string session(int i) { return "s" + std::to_string(i); }

    static CheckinCall tap(std::string session_hash, std::string_view rules = kRules) {
        CheckinCall c;
        c.now = kNow;
        c.channel = "geo";
        c.activity = "a1";
        c.lat = 34.8101;
        c.lng = 117.3201;
        c.rules = rules;  // literals: the server's own rules outlive every call too
        c.session_hash = std::move(session_hash);
        c.session_ttl_ms = 30LL * 86400 * 1000;
        return c;
    }

    // Hands every call to the batcher in one turn of its thread, so that all but the first
    // find a batch in Redis; the answers in the order of the calls.
    std::vector<CheckinBatcher::Answer> all_at_once(std::vector<CheckinCall> calls) {
        std::vector<std::future<CheckinBatcher::Answer>> futures;
        std::promise<void> queued;
        net::post(ioc, [&] {
            for (auto& c : calls) {
                futures.push_back(net::co_spawn(ioc, batcher->check_in(c), net::use_future));
            }
            queued.set_value();
        });
        queued.get_future().wait();
        std::vector<CheckinBatcher::Answer> out;
        for (auto& f : futures) {
            out.push_back(f.get());
        }
        return out;
    }

    long long field(std::string const& key, std::string const& f) const {
        return shared_redis().command({"HGET", key, f}).as_integer().value_or(0);
    }
};

}  // namespace

TEST_CASE("taps that wait for a batch in Redis go together, each answered as alone", "[activity][batch]") {
    Batches b;
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 10; ++i) {
        calls.push_back(Batches::tap(Batches::session(i)));
    }
    calls.push_back(Batches::tap("no-such-session"));
    calls.push_back(Batches::tap(Batches::session(3)));  // m3 again, in the same batch
    auto answers = b.all_at_once(std::move(calls));
    // The first went alone; the eleven that came while it was in Redis, in one call.
    CHECK(b.batcher->batches() == 2);
    CHECK(b.batcher->calls() == 12);
    REQUIRE(answers.size() == 12);
    for (int i = 0; i < 10; ++i) {
        INFO("m" << i + 1);
        REQUIRE(answers[i].has_value());
        CHECK_FALSE(answers[i]->record.already);
        CHECK(answers[i]->record.by == "member:m" + std::to_string(i + 1));
        CHECK(answers[i]->award.points == 5);
    }
    REQUIRE_FALSE(answers[10].has_value());
    CHECK(answers[10].error().ec == server::errc::unauthorized);
    REQUIRE(answers[11].has_value());
    CHECK(answers[11]->record.already);
    CHECK(answers[11]->award.duplicate);
    CHECK(answers[11]->award.entry == answers[2]->award.entry);
    // One record and one entry per member; each branch's totals count each of its taps once.
    CHECK(shared_redis().command({"HLEN", "bense:{roster}:activity:a1:checkins"}).integer == 10);
    CHECK(shared_redis().command({"XLEN", "bense:{roster}:points:m3:ledger"}).integer == 1);
    CHECK(b.field("bense:{roster}:points:m3", "total") == 5);
    CHECK(b.field("bense:{roster}:points:branch:b1", "y:2026") == 30);
    CHECK(b.field("bense:{roster}:points:branch:b1", "total") == 30);
    CHECK(b.field("bense:{roster}:points:branch:b1", "n:2026H2:checkin.party_day") == 6);
    CHECK(b.field("bense:{roster}:points:branch:b2", "y:2026") == 20);
    CHECK(b.field("bense:{roster}:points:branch:b2", "n:2026H2:checkin.party_day") == 4);
}

TEST_CASE("taps that a cap leaves without points still count once each for their branch", "[activity][batch]") {
    Batches b;
    // m1..m4 (branch b1) have had the day's 10 points of party days already.
    for (int i = 1; i <= 4; ++i) {
        shared_redis().command({"HSET", "bense:{roster}:points:m" + std::to_string(i), "refs", "in",
                                "d:checkin.party_day", "2026-12-01=10"});
    }
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 4; ++i) {
        calls.push_back(Batches::tap(Batches::session(i)));
    }
    auto answers = b.all_at_once(std::move(calls));
    CHECK(b.batcher->batches() == 2);  // one alone, three together
    REQUIRE(answers.size() == 4);
    for (auto const& a : answers) {
        REQUIRE(a.has_value());
        CHECK_FALSE(a->record.already);
        CHECK(a->award.points == 0);
        CHECK(a->award.capped == "daily");
    }
    CHECK(b.field("bense:{roster}:points:branch:b1", "n:2026H2:checkin.party_day") == 4);
    CHECK(b.field("bense:{roster}:points:branch:b1", "total") == 0);
    CHECK(b.field("bense:{roster}:points:m2", "total") == 0);
    CHECK(shared_redis().command({"XLEN", "bense:{roster}:points:m2:ledger"}).integer == 1);
}

TEST_CASE("a tap that fails inside Redis fails alone", "[activity][batch]") {
    Batches b;
    // m5's points are no hash: every write to them is refused by Redis.
    shared_redis().command({"SET", "bense:{roster}:points:m5", "not a hash"});
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 6; ++i) {
        calls.push_back(Batches::tap(Batches::session(i)));
    }
    auto answers = b.all_at_once(std::move(calls));
    REQUIRE(answers.size() == 6);
    REQUIRE_FALSE(answers[4].has_value());
    CHECK(answers[4].error().ec == server::errc::store_error);
    for (int i : {0, 1, 2, 3, 5}) {
        REQUIRE(answers[i].has_value());
        CHECK(answers[i]->award.points == 5);
    }
    CHECK(b.field("bense:{roster}:points:branch:b1", "y:2026") == 25);
}

TEST_CASE("taps of other settings wait for a batch of their own", "[activity][batch]") {
    Batches b;
    auto const other_rules = "party_day checkin.party_day 3 10 120 0;";
    std::vector<CheckinCall> calls{Batches::tap(Batches::session(1)), Batches::tap(Batches::session(2)),
                                   Batches::tap(Batches::session(3)),
                                   Batches::tap(Batches::session(7), other_rules),
                                   Batches::tap(Batches::session(8), other_rules)};
    auto answers = b.all_at_once(std::move(calls));
    CHECK(b.batcher->batches() == 3);  // m1 alone, then m2 and m3, then m7 and m8
    REQUIRE(answers.size() == 5);
    for (int i = 0; i < 5; ++i) {
        REQUIRE(answers[i].has_value());
        CHECK(answers[i]->award.points == (i < 3 ? 5 : 3));
    }
}

TEST_CASE("with two calls in flight, the third tap is the first to wait", "[activity][batch]") {
    Batches b;
    b.batcher = std::make_shared<CheckinBatcher>(*b.redis, 64, 2);
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 5; ++i) {
        calls.push_back(Batches::tap(Batches::session(i)));
    }
    auto answers = b.all_at_once(std::move(calls));
    CHECK(b.batcher->batches() == 3);  // m1 and m2 alone, then m3, m4 and m5
    for (auto const& a : answers) {
        REQUIRE(a.has_value());
        CHECK(a->award.points == 5);
    }
}

TEST_CASE("a batch carries at most max_taps", "[activity][batch]") {
    Batches b;
    b.batcher = std::make_shared<CheckinBatcher>(*b.redis, 3);
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 8; ++i) {
        calls.push_back(Batches::tap(Batches::session(i)));
    }
    auto answers = b.all_at_once(std::move(calls));
    CHECK(b.batcher->batches() == 4);  // m1, then m2-m4, m5-m7, m8
    CHECK(b.batcher->calls() == 8);
    CHECK(shared_redis().command({"HLEN", "bense:{roster}:activity:a1:checkins"}).integer == 8);
}

TEST_CASE("when Redis cannot be reached, every waiting tap is answered with the store's failure",
          "[activity][batch]") {
    Batches b;
    std::promise<void> closed;
    net::post(b.ioc, [&] {
        b.redis->close();
        closed.set_value();
    });
    closed.get_future().wait();
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 4; ++i) {
        calls.push_back(Batches::tap(Batches::session(i)));
    }
    auto answers = b.all_at_once(std::move(calls));
    REQUIRE(answers.size() == 4);
    for (auto const& a : answers) {
        REQUIRE_FALSE(a.has_value());
        CHECK(a.error().ec == server::errc::store_unavailable);
    }
    CHECK(b.batcher->batches() == 2);
    CHECK(shared_redis().command({"EXISTS", "bense:{roster}:activity:a1:checkins"}).integer == 0);
}

TEST_CASE("every field of a tap's answer comes back, a title with newlines whole", "[activity][batch]") {
    Batches b;
    shared_redis().command({"HSET", "bense:{roster}:activity:a2", "id", "a2", "type", "party_lecture", "title",
                            "第一行\n第二行\n\t末行 ]]>", "branch", "*", "start", std::to_string(kNow), "opens",
                            std::to_string(kNow - 1800), "closes", std::to_string(kNow + 7200), "status",
                            "scheduled", "lat", "34.810000", "lng", "117.320000", "radius", "200"});
    std::vector<CheckinCall> calls;
    for (int i = 1; i <= 3; ++i) {
        auto c = Batches::tap(Batches::session(i), "party_lecture checkin.three_meetings 4 0 150 0;");
        c.activity = "a2";
        calls.push_back(std::move(c));
    }
    auto answers = b.all_at_once(std::move(calls));
    CHECK(b.batcher->batches() == 2);
    REQUIRE(answers.size() == 3);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(answers[i].has_value());
        auto const& r = answers[i]->record;
        CHECK_FALSE(r.already);
        CHECK(r.activity == "a2");
        CHECK(r.at == kNow);
        CHECK(r.channel == "geo");
        CHECK(r.type == "party_lecture");
        CHECK(r.title == "第一行\n第二行\n\t末行 ]]>");
        CHECK(r.by == "member:m" + std::to_string(i + 1));
        auto const& a = answers[i]->award;
        CHECK_FALSE(a.duplicate);
        CHECK_FALSE(a.entry.empty());
        CHECK(a.points == 4);
        CHECK(a.capped.empty());
        CHECK(a.status.empty());
    }
}

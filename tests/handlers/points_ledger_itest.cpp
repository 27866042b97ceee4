// The points ledger against real Redis: once per reference under a storm of retries, caps at
// the edges of a Beijing day and year (at fixed instants), a rule change that keeps what was
// earned, deductions as new entries, and refusals that write nothing.
#include "handlers/points_ledger.hpp"
#include "handlers/roster_errors.hpp"
#include "server/runtime.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <thread>

using namespace bense;
using namespace bense::handlers;
using namespace bense::test;

namespace {

// 2026-12-31 23:59:59 and 2027-01-01 00:00:00 Beijing time.
constexpr std::int64_t kLastSecondOf2026 = 1798732799;
constexpr std::int64_t kFirstSecondOf2027 = 1798732800;

// A Redis client with the project's functions on its own thread.
struct Ledger {
    net::io_context ioc{1};
    net::executor_work_guard<net::io_context::executor_type> guard{ioc.get_executor()};
    std::unique_ptr<server::RedisClient> redis;
    std::thread thread;
    PointsRules rules;

    Ledger() {
        shared_redis().flushall();
        server::RedisClient::Options o;
        o.config.address = shared_redis().address();
        o.function_libraries = {server::server_redis_library(), roster_redis_library(), points_redis_library()};
        redis = std::make_unique<server::RedisClient>(ioc.get_executor(), o);
        redis->start();
        thread = std::thread([this] { ioc.run(); });
        rules.version = 1;
        rules.rules = {PointsRule{"checkin.party_day", "主题党日", 5, false, 10, 12, false, false},
                       PointsRule{"manual.award", "手动加分", 0, true, 0, 0, false, true},
                       PointsRule{"manual.deduct", "手动扣分", 0, true, 0, 0, false, true}};
        // A member of branch b1, as the roster would hold them.
        shared_redis().command({"HSET", "bense:{roster}:member:m1", "number", "m1", "name", "王建国", "branch", "b1"});
        for (int i = 0; i < 200 && !redis->ready(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(redis->ready());
    }
    ~Ledger() {
        net::post(ioc, [this] { redis->close(); });
        guard.reset();
        thread.join();
    }

    result<AwardResult, StoreError> give(AwardRequest r) {
        return net::co_spawn(ioc, award(*redis, rules, r), net::use_future).get();
    }
    AwardResult ok(std::string const& ref, std::int64_t at, std::string action = "checkin.party_day") {
        auto r = give({"m1", std::move(action), ref, "member:m1", "", "", at, {}});
        REQUIRE(r.has_value());
        return *r;
    }
    long long field(std::string const& key, std::string const& f) const {
        return shared_redis().command({"HGET", key, f}).as_integer().value_or(0);
    }
    long long entries() const { return shared_redis().command({"XLEN", "bense:{roster}:points:m1:ledger"}).integer; }
};

}  // namespace

TEST_CASE("200 concurrent awards for one reference make exactly one entry", "[points]") {
    Ledger l;
    std::vector<std::future<result<AwardResult, StoreError>>> all;
    AwardRequest r{"m1", "checkin.party_day", "checkin:act-1", "member:m1", "", "", kLastSecondOf2026 - 7200, {}};
    for (int i = 0; i < 200; ++i) {
        all.push_back(net::co_spawn(l.ioc, award(*l.redis, l.rules, r), net::use_future));
    }
    int first = 0;
    for (auto& f : all) {
        auto a = f.get();
        REQUIRE(a.has_value());
        CHECK(a->points == 5);
        first += a->duplicate ? 0 : 1;
    }
    CHECK(first == 1);
    CHECK(l.entries() == 1);
    CHECK(l.field("bense:{roster}:points:m1", "total") == 5);
    CHECK(l.field("bense:{roster}:points:branch:b1", "y:2026") == 5);
}

TEST_CASE("the daily cap counts a Beijing day, the yearly cap a Beijing year", "[points]") {
    Ledger l;
    CHECK(l.ok("a", kLastSecondOf2026 - 3600).points == 5);
    CHECK(l.ok("b", kLastSecondOf2026).points == 5);
    auto capped = l.ok("c", kLastSecondOf2026);  // the day's 10 are used
    CHECK(capped.points == 0);
    CHECK(capped.capped == "daily");
    CHECK(l.entries() == 3);  // recorded with 0 points, so the member can see why
    // One second later it is another day and another year in Beijing.
    CHECK(l.ok("d", kFirstSecondOf2027).points == 5);
    CHECK(l.field("bense:{roster}:points:m1", "y:2026") == 10);
    CHECK(l.field("bense:{roster}:points:m1", "y:2027") == 5);
    // The yearly cap (12) cuts an award to what is left, on a fresh day.
    CHECK(l.ok("e", kFirstSecondOf2027 + 86400).points == 5);
    auto cut = l.ok("f", kFirstSecondOf2027 + 2 * 86400);
    CHECK(cut.points == 2);
    CHECK(cut.capped == "yearly");
    CHECK(l.field("bense:{roster}:points:m1", "total") == 22);
}

TEST_CASE("a server a moment behind at midnight still counts the day before", "[points]") {
    Ledger l;
    CHECK(l.ok("a", kLastSecondOf2026 - 10).points == 5);
    CHECK(l.ok("b", kFirstSecondOf2027).points == 5);  // another server, already in the new day
    CHECK(l.ok("c", kLastSecondOf2026).points == 5);   // this one still in the old day: 10 used
    CHECK(l.ok("d", kLastSecondOf2026).capped == "daily");
    CHECK(l.ok("e", kFirstSecondOf2027).points == 5);  // the new day's count was kept too
    CHECK(l.ok("f", kFirstSecondOf2027).capped == "daily");
    // A later day replaces the older of the two: the member's hash never grows by the day.
    CHECK(l.ok("g", kFirstSecondOf2027 + 86400).points == 2);  // the yearly cap (12) is near
    auto counts = shared_redis().command({"HGET", "bense:{roster}:points:m1", "d:checkin.party_day"}).str;
    CHECK(counts == "2027-01-02=2,2027-01-01=10");
    CHECK(shared_redis().command({"KEYS", "bense:{roster}:points:m1:day:*"}).elements.empty());
}

TEST_CASE("a rule change keeps what was earned, a deduction is a new entry", "[points]") {
    Ledger l;
    CHECK(l.ok("old", kLastSecondOf2026).points == 5);
    l.rules.version = 2;
    l.rules.rules[0].points = 1;
    CHECK(l.ok("new", kFirstSecondOf2027).points == 1);
    auto ledger = shared_redis().command({"XRANGE", "bense:{roster}:points:m1:ledger", "-", "+"});
    REQUIRE(ledger.elements.size() == 2);
    auto const& first = ledger.elements[0].elements[1].elements;
    CHECK(first[3].str == "5");  // points
    CHECK(first[7].str == "1");  // rule_version
    auto minus = l.give({"m1", "manual.deduct", "fix:1", "token:bureau", "", "重复登记，撤回", kFirstSecondOf2027, -5});
    REQUIRE(minus.has_value());
    CHECK(minus->points == -5);
    CHECK(l.field("bense:{roster}:points:m1", "total") == 1);
    CHECK(l.entries() == 3);
}

TEST_CASE("a ledger entry and its answer carry points as plain integers, cut or not", "[points]") {
    // The grant keeps numbers that came in as text as that text and formats the others as
    // integers: what is stored is plain integer text, "5", never "5.0" or "5.0000000000000000".
    Ledger l;
    auto fields_of = [](std::size_t i) {
        auto ledger = shared_redis().command({"XRANGE", "bense:{roster}:points:m1:ledger", "-", "+"});
        REQUIRE(ledger.elements.size() > i);
        return entry_fields(ledger.elements[i]);
    };
    CHECK(l.ok("a", kLastSecondOf2026 - 3600).points == 5);
    CHECK(l.ok("b", kLastSecondOf2026).points == 5);
    auto capped = l.ok("c", kLastSecondOf2026);  // the day's 10 are used: cut to 0
    CHECK(capped.points == 0);
    auto minus = l.give({"m1", "manual.deduct", "fix:1", "token:bureau", "", "撤回", kLastSecondOf2026, -7});
    REQUIRE(minus.has_value());
    CHECK(minus->points == -7);
    auto first = fields_of(0);
    CHECK(first["points"] == "5");
    CHECK(first["asked"] == "5");
    CHECK(first["at"] == std::to_string(kLastSecondOf2026 - 3600));
    auto cut = fields_of(2);
    CHECK(cut["points"] == "0");
    CHECK(cut["asked"] == "5");
    CHECK(cut["capped"] == "daily");
    auto deduction = fields_of(3);
    CHECK(deduction["points"] == "-7");
    CHECK(deduction["asked"] == "-7");
    // A repeat answers the entry's points as stored.
    auto again = l.ok("c", kLastSecondOf2026);
    CHECK(again.duplicate);
    CHECK(again.points == 0);
    CHECK(l.field("bense:{roster}:points:m1", "total") == 3);
}

TEST_CASE("an unknown action, a missing reason, a bad amount or member write nothing", "[points]") {
    Ledger l;
    auto refused = [&](AwardRequest r, roster_errc e) {
        auto a = l.give(std::move(r));
        REQUIRE_FALSE(a.has_value());
        CHECK(a.error().ec == e);
    };
    refused({"m1", "checkin.nothing", "x", "cli", "", "", kFirstSecondOf2027, {}}, roster_errc::points_unknown_action);
    refused({"m1", "manual.award", "x", "cli", "", "", kFirstSecondOf2027, 5}, roster_errc::points_reason_required);
    refused({"m1", "manual.award", "x", "cli", "", "原因", kFirstSecondOf2027, 0}, roster_errc::points_bad_amount);
    refused({"m1", "manual.award", "x", "cli", "", "原因", kFirstSecondOf2027, 101}, roster_errc::points_bad_amount);
    refused({"m1", "checkin.party_day", "x", "cli", "", "", kFirstSecondOf2027, 50}, roster_errc::points_bad_amount);
    refused({"m404", "checkin.party_day", "x", "cli", "", "", kFirstSecondOf2027, {}}, roster_errc::member_not_found);
    // An award is positive and a deduction negative.
    refused({"m1", "manual.award", "x", "cli", "", "原因", kFirstSecondOf2027, -5}, roster_errc::points_bad_amount);
    refused({"m1", "manual.deduct", "x", "cli", "", "原因", kFirstSecondOf2027, 5}, roster_errc::points_bad_amount);
    // A secretary of another branch.
    auto outside = l.give({"m1", "checkin.party_day", "x", "member:m9", "", "", kFirstSecondOf2027, {}, "b2"});
    REQUIRE_FALSE(outside.has_value());
    CHECK(outside.error().ec == server::errc::forbidden);
    CHECK(shared_redis().command({"KEYS", "bense:{roster}:points*"}).elements.empty());
}

TEST_CASE("references kept in their old hash of their own still count once, and move on first use", "[points]") {
    Ledger l;
    auto const a = l.ok("a", kFirstSecondOf2027);
    auto const b = l.ok("b", kFirstSecondOf2027);
    auto back = net::co_spawn(l.ioc, reverse(*l.redis, {"m1", a.entry, "token:bureau", "误记", kFirstSecondOf2027}),
                              net::use_future).get();
    REQUIRE(back.has_value());
    // The layout before the references moved into the member's hash.
    std::string const mkey = "bense:{roster}:points:m1";
    std::vector<std::pair<std::string, std::string>> const old_refs{
        {"a", a.entry}, {"b", b.entry}, {"reverse:" + a.entry, back->entry}};
    for (auto const& [ref, id] : old_refs) {
        shared_redis().command({"HSET", mkey + ":refs", ref, id});
        shared_redis().command({"HDEL", mkey, "r:" + ref});
    }
    shared_redis().command({"HDEL", mkey, "refs"});
    auto const before = l.entries();

    auto again = l.ok("a", kFirstSecondOf2027 + 60);
    CHECK(again.duplicate);
    CHECK(again.entry == a.entry);
    CHECK(shared_redis().command({"EXISTS", mkey + ":refs"}).integer == 0);
    CHECK(shared_redis().command({"HGET", mkey, "r:b"}).str == b.entry);
    CHECK(shared_redis().command({"HGET", mkey, "refs"}).str == "in");
    CHECK(l.ok("b", kFirstSecondOf2027 + 60).duplicate);
    auto twice = net::co_spawn(l.ioc, reverse(*l.redis, {"m1", a.entry, "token:bureau", "误记", kFirstSecondOf2027}),
                               net::use_future).get();
    REQUIRE(twice.has_value());
    CHECK(twice->duplicate);
    CHECK(l.entries() == before);
    CHECK(l.field(mkey, "total") == 5);  // a (5, reversed) and b (5)

    // A member touched first after the move: reversal's lookup moves them too.
    shared_redis().command({"HSET", mkey + ":refs", "reverse:" + a.entry, back->entry});
    shared_redis().command({"HDEL", mkey, "refs", "r:reverse:" + a.entry});
    auto third = net::co_spawn(l.ioc, reverse(*l.redis, {"m1", a.entry, "token:bureau", "误记", kFirstSecondOf2027}),
                               net::use_future).get();
    REQUIRE(third.has_value());
    CHECK(third->duplicate);
    CHECK(shared_redis().command({"EXISTS", mkey + ":refs"}).integer == 0);
    CHECK(l.entries() == before);
}

// RedisClient against a real redis-server: replies, errors, pipelining, timeouts, kills,
// restarts, and the function library loaded on every connect.
#include "server/redis_client.hpp"

#include "server/errors.hpp"
#include "server/runtime.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include <thread>

using namespace bense;
using namespace bense::server;
using bense::test::eventually;

namespace {

// A client on its own io_context thread; commands are run from coroutines on that thread.
class Harness {
public:
    explicit Harness(std::string address, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000),
                     std::vector<std::string_view> libraries = {server_redis_library()}) {
        RedisClient::Options options;
        options.config.address = std::move(address);
        options.config.command_timeout = timeout;
        options.config.reconnect_max_backoff = std::chrono::milliseconds(200);
        options.function_libraries = std::move(libraries);
        client_ = std::make_unique<RedisClient>(ioc_.get_executor(), std::move(options));
        client_->start();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~Harness() {
        net::post(ioc_, [this] { client_.reset(); });
        guard_.reset();
        thread_.join();
    }

    std::tuple<error_code, RedisReply> exec(RedisClient::Argv argv) {
        return net::co_spawn(ioc_, client_->exec(std::move(argv)), net::use_future).get();
    }
    bool ready() const { return client_->ready(); }
    std::string last_error() {
        return net::co_spawn(
                   ioc_, [this]() -> net::awaitable<std::string> { co_return client_->last_error(); },
                   net::use_future)
            .get();
    }
    RedisClient& client() { return *client_; }
    net::io_context& ioc() { return ioc_; }

private:
    net::io_context ioc_{1};
    net::executor_work_guard<net::io_context::executor_type> guard_{ioc_.get_executor()};
    std::unique_ptr<RedisClient> client_;
    std::thread thread_;
};

}  // namespace

TEST_CASE("redis client runs commands and loads the runtime's functions", "[redis]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address());
    REQUIRE(eventually([&] { return h.ready(); }));

    auto [set_ec, set_reply] = h.exec({"SET", "bense:test:k", "值 with spaces\r\n"});
    CHECK_FALSE(set_ec);
    CHECK(set_reply.text() == "OK");
    auto [get_ec, get_reply] = h.exec({"GET", "bense:test:k"});
    CHECK_FALSE(get_ec);
    CHECK(get_reply.text() == "值 with spaces\r\n");
    auto [nil_ec, nil_reply] = h.exec({"GET", "bense:test:absent"});
    CHECK_FALSE(nil_ec);
    CHECK(nil_reply.is_nil());
    auto [fn_ec, fn_reply] = h.exec({"FCALL_RO", "bense_health", "0"});
    CHECK_FALSE(fn_ec);
    CHECK(fn_reply.text() == "ok");
}

TEST_CASE("redis client sends a command larger than the socket takes at once", "[redis]") {
    // Writes go out without waiting for epoll; one that the socket cannot take whole must
    // finish when the socket has room again, with the commands behind it in their order.
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address(), std::chrono::milliseconds(10000));
    REQUIRE(eventually([&] { return h.ready(); }));
    std::string const big(32 << 20, 'x');
    auto both = net::co_spawn(h.ioc(),
                              h.client().exec_all({{"SET", "bense:test:big", big}, {"STRLEN", "bense:test:big"}}),
                              net::use_future)
                    .get();
    REQUIRE(both.size() == 2);
    CHECK_FALSE(std::get<0>(both[0]));
    CHECK(std::get<1>(both[0]).text() == "OK");
    CHECK(std::get<1>(both[1]).integer == static_cast<long long>(big.size()));
    auto [ec, reply] = h.exec({"PING"});
    CHECK_FALSE(ec);
    CHECK(reply.text() == "PONG");
}

TEST_CASE("redis client reports an error reply as store_error with its text", "[redis]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address());
    REQUIRE(eventually([&] { return h.ready(); }));
    h.exec({"SET", "bense:test:str", "x"});
    auto [ec, reply] = h.exec({"LPUSH", "bense:test:str", "y"});
    CHECK(ec == errc::store_error);
    CHECK(reply.is_error());
    CHECK(reply.str.starts_with("WRONGTYPE"));
    auto [ok_ec, ok_reply] = h.exec({"PING"});  // the connection is fine afterwards
    CHECK_FALSE(ok_ec);
}

TEST_CASE("redis client pipelines many concurrent commands in order", "[redis]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address());
    REQUIRE(eventually([&] { return h.ready(); }));
    constexpr int kCommands = 2000;
    auto results = net::co_spawn(
                       h.ioc(),
                       [&]() -> net::awaitable<std::vector<long long>> {
                           std::vector<long long> out(kCommands, -1);
                           int done = 0;
                           net::steady_timer all_done(h.ioc(), std::chrono::steady_clock::time_point::max());
                           for (int i = 0; i < kCommands; ++i) {
                               h.client().async_exec({"INCR", "bense:test:counter"},
                                                     [&, i](error_code ec, RedisReply r) {
                                                         out[i] = ec ? -2 : r.integer;
                                                         if (++done == kCommands) {
                                                             all_done.cancel();
                                                         }
                                                     });
                           }
                           co_await all_done.async_wait(use_tuple);
                           co_return out;
                       },
                       net::use_future)
                       .get();
    for (int i = 0; i < kCommands; ++i) {
        REQUIRE(results[i] == i + 1);  // replies matched to their own commands, in order
    }
}

TEST_CASE("redis client sends several commands at once and answers each in its order", "[redis]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address());
    REQUIRE(eventually([&] { return h.ready(); }));
    h.exec({"SET", "bense:test:str", "x"});
    std::vector<RedisClient::Argv> commands{{"SET", "bense:test:claim", "running", "NX", "GET"},
                                            {"LPUSH", "bense:test:str", "y"},  // fails alone
                                            {"GET", "bense:test:str"},
                                            {"SET", "bense:test:claim", "again", "NX", "GET"}};
    auto outcomes = net::co_spawn(h.ioc(), h.client().exec_all(std::move(commands)), net::use_future).get();
    REQUIRE(outcomes.size() == 4);
    CHECK_FALSE(std::get<0>(outcomes[0]));
    CHECK(std::get<1>(outcomes[0]).is_nil());  // nothing was there: claimed
    CHECK(std::get<0>(outcomes[1]) == errc::store_error);
    CHECK(std::get<1>(outcomes[2]).text() == "x");
    CHECK(std::get<1>(outcomes[3]).text() == "running");  // the first claim's value, kept
    auto [ec, kept] = h.exec({"GET", "bense:test:claim"});
    CHECK(kept.text() == "running");

    auto none = net::co_spawn(h.ioc(), h.client().exec_all({}), net::use_future).get();
    CHECK(none.empty());
}

TEST_CASE("redis client fails fast while Redis is unreachable, then connects", "[redis]") {
    int const port = test::free_port();
    Harness h("127.0.0.1:" + std::to_string(port));
    auto const start = std::chrono::steady_clock::now();
    auto [ec, reply] = h.exec({"PING"});
    CHECK((ec == errc::store_unavailable || ec == errc::store_timeout));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK_FALSE(h.ready());
    CHECK_FALSE(h.last_error().empty());
}

TEST_CASE("redis client survives CLIENT KILL mid-command and reconnects", "[redis]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address(), std::chrono::seconds(10));
    REQUIRE(eventually([&] { return h.ready(); }));
    auto blocked = net::co_spawn(h.ioc(), h.client().exec({"BLPOP", "bense:test:never", "0"}), net::use_future);
    REQUIRE(eventually([&] {
        auto clients = redis.command({"CLIENT", "LIST"});
        return clients.str.find("cmd=blpop") != std::string::npos;
    }));
    redis.command({"CLIENT", "KILL", "TYPE", "normal"});
    auto [ec, reply] = blocked.get();
    CHECK(ec == errc::store_disconnected);
    REQUIRE(eventually([&] { return h.ready(); }));
    auto [ping_ec, ping] = h.exec({"PING"});
    CHECK_FALSE(ping_ec);
}

TEST_CASE("redis client times out a stuck command and ignores its late reply", "[redis]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    Harness h(redis.address(), std::chrono::milliseconds(150));
    REQUIRE(eventually([&] { return h.ready(); }));
    h.exec({"SET", "bense:test:a", "first"});
    redis.command({"CLIENT", "PAUSE", "600", "ALL"});
    auto [ec, reply] = h.exec({"GET", "bense:test:a"});
    CHECK(ec == errc::store_timeout);
    // After the pause the late reply arrives and must not be taken for the next command's.
    REQUIRE(eventually([&] {
        auto [ec2, r2] = h.exec({"ECHO", "second"});
        return !ec2 && r2.text() == "second";
    }));
}

TEST_CASE("redis client recovers after redis-server is killed and restarted", "[redis]") {
    test::RedisServer redis;  // its own server: this test kills it
    Harness h(redis.address(), std::chrono::milliseconds(300));
    REQUIRE(eventually([&] { return h.ready(); }));
    redis.kill();
    REQUIRE(eventually([&] { return !h.ready(); }));
    auto [down_ec, down] = h.exec({"PING"});
    CHECK(down_ec.category() == server_category());
    CHECK(down_ec != errc::store_error);
    redis.start();  // empty: no functions until the client loads them again
    REQUIRE(eventually([&] { return h.ready(); }, std::chrono::seconds(5)));
    auto [fn_ec, fn] = h.exec({"FCALL_RO", "bense_health", "0"});
    CHECK_FALSE(fn_ec);
    CHECK(fn.text() == "ok");
}

TEST_CASE("redis client refuses commands after close", "[redis]") {
    auto& redis = test::shared_redis();
    Harness h(redis.address());
    REQUIRE(eventually([&] { return h.ready(); }));
    net::post(h.ioc(), [&] { h.client().close(); });
    REQUIRE(eventually([&] { return !h.ready(); }));
    auto [ec, reply] = h.exec({"PING"});
    CHECK(ec == errc::store_unavailable);
}

TEST_CASE("redis client reports a function library that does not load", "[redis]") {
    auto& redis = test::shared_redis();
    Harness h(redis.address(), std::chrono::milliseconds(500),
              {"#!lua name=bense_broken\nthis is not lua"});
    REQUIRE(eventually([&] { return h.last_error().find("FUNCTION LOAD failed") != std::string::npos; }));
    CHECK_FALSE(h.ready());
}

TEST_CASE("redis client closed while still connecting frees its context once", "[redis]") {
    auto& redis = test::shared_redis();
    for (int i = 0; i < 20; ++i) {
        Harness h(redis.address());
        net::post(h.ioc(), [&] { h.client().close(); });  // right after start(): mid-connect
        auto [ec, reply] = h.exec({"PING"});
        CHECK(ec == errc::store_unavailable);
    }  // the destructor must not free a context hiredis already freed
}

// CallbackStore against a real redis-server: a callback's life from claim to stored reply,
// the waiter giving up before or after the handler finishes, and the odd cases of a claim
// that expired under a slow handler.
#include "wechat/callback_store.hpp"

#include "server/runtime.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::wechat;
using namespace std::chrono_literals;

namespace {

std::string const kKey = CallbackStore::key("o-store", "oa", "m1");

// Runs `scenario` on a store with its own client until it returns.
void run(std::function<net::awaitable<void>(CallbackStore&)> scenario) {
    auto& redis = test::shared_redis();
    redis.flushall();
    net::io_context ioc{1};
    server::RedisClient::Options options;
    options.config.address = redis.address();
    options.function_libraries = {server::server_redis_library(), callback_redis_library()};
    server::RedisClient client(ioc.get_executor(), std::move(options));
    client.start();
    CallbackStore store(client, 60s);
    std::exception_ptr failure;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            net::steady_timer wait(ioc);
            for (int i = 0; i < 200 && !client.ready(); ++i) {
                wait.expires_after(10ms);
                co_await wait.async_wait(net::use_awaitable);
            }
            REQUIRE(client.ready());
            co_await scenario(store);
            client.close();
        },
        [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

std::string value() {
    return std::string(test::shared_redis().command({"GET", kKey}).text().value_or("(nil)"));
}

}  // namespace

TEST_CASE("callback store: the first delivery claims, retries find it running, then done", "[wechat][redis]") {
    run([](CallbackStore& store) -> net::awaitable<void> {
        auto first = co_await store.claim(kKey);
        REQUIRE(first.has_value());
        CHECK(first->state == CallbackState::claimed);
        auto retry = co_await store.claim(kKey);
        REQUIRE(retry.has_value());
        CHECK(retry->state == CallbackState::running);
        auto late = co_await store.finish(kKey, "<xml>回复\n第二行</xml>");
        REQUIRE(late.has_value());
        CHECK_FALSE(*late);
        auto after = co_await store.claim(kKey);
        REQUIRE(after.has_value());
        CHECK(after->state == CallbackState::done);
        CHECK(after->reply == "<xml>回复\n第二行</xml>");  // a newline inside the reply stays
        // A waiter whose deadline passes now gets the reply, and changes nothing.
        auto waiter = co_await store.give_up(kKey);
        REQUIRE(waiter.has_value());
        CHECK(waiter->state == CallbackState::done);
        CHECK(waiter->reply == "<xml>回复\n第二行</xml>");
    });
    CHECK(value() == "running\n<xml>回复\n第二行</xml>");
    auto ttl = test::shared_redis().command({"PTTL", kKey}).integer;
    CHECK(ttl > 59000);
    CHECK(ttl <= 60000);
}

TEST_CASE("callback store: a waiter gives up first, so the finished reply goes out later", "[wechat][redis]") {
    run([](CallbackStore& store) -> net::awaitable<void> {
        auto claimed = co_await store.claim(kKey);
        REQUIRE(claimed.has_value());
        auto waiter = co_await store.give_up(kKey);
        REQUIRE(waiter.has_value());
        CHECK(waiter->state == CallbackState::late);
        auto second = co_await store.give_up(kKey);  // another instance's waiter
        REQUIRE(second.has_value());
        CHECK(second->state == CallbackState::late);
        auto late = co_await store.finish(kKey, "<xml>晚到</xml>");
        REQUIRE(late.has_value());
        CHECK(*late);
        auto retry = co_await store.peek(kKey);
        REQUIRE(retry.has_value());
        CHECK(retry->state == CallbackState::sent_later);
        CHECK(retry->reply == "<xml>晚到</xml>");
    });
}

TEST_CASE("callback store: a claim that expired under a slow handler still ends with one whole reply",
          "[wechat][redis]") {
    run([](CallbackStore& store) -> net::awaitable<void> {
        auto claimed = co_await store.claim(kKey);
        REQUIRE(claimed.has_value());
        test::shared_redis().command({"DEL", kKey});  // the claim's time ran out
        auto gone = co_await store.peek(kKey);
        REQUIRE(gone.has_value());
        CHECK(gone->state == CallbackState::gone);
        // A retry claims it afresh; the slow first handler finishes, then the retry's.
        auto again = co_await store.claim(kKey);
        REQUIRE(again.has_value());
        CHECK(again->state == CallbackState::claimed);
        auto slow = co_await store.finish(kKey, "<xml>一</xml>");
        REQUIRE(slow.has_value());
        CHECK_FALSE(*slow);
        auto retry = co_await store.finish(kKey, "<xml>二</xml>");
        REQUIRE(retry.has_value());
        CHECK_FALSE(*retry);
        auto stored = co_await store.peek(kKey);
        REQUIRE(stored.has_value());
        CHECK(stored->state == CallbackState::done);
        CHECK(stored->reply == "<xml>二</xml>");
        // A handler finishing after its claim vanished leaves a reply that expires too.
        test::shared_redis().command({"DEL", kKey});
        auto orphan = co_await store.finish(kKey, "<xml>三</xml>");
        REQUIRE(orphan.has_value());
        CHECK_FALSE(*orphan);
    });
    CHECK(value() == "\n<xml>三</xml>");
    CHECK(test::shared_redis().command({"PTTL", kKey}).integer > 0);
}

TEST_CASE("callback store: a claim whose sender state cannot be read is undone", "[wechat][redis]") {
    std::string const state_key = "bense:{user:o-store}:conv";
    run([&](CallbackStore& store) -> net::awaitable<void> {
        test::shared_redis().command({"HSET", state_key, "step", "1"});  // a hash: GET fails
        auto claimed = co_await store.claim(kKey, state_key);
        CHECK_FALSE(claimed.has_value());
        // Nothing is left running, so WeChat's retry starts afresh and reads a good state.
        test::shared_redis().command({"DEL", state_key});
        test::shared_redis().command({"SET", state_key, "新建活动:标题"});
        auto retry = co_await store.claim(kKey, state_key);
        REQUIRE(retry.has_value());
        CHECK(retry->state == CallbackState::claimed);
        CHECK(retry->user_state == std::optional<std::string>("新建活动:标题"));
    });
}

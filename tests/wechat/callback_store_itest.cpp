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

// What a store call answered: it must have answered, in `state` (with `reply` when given).
void check_answer(result<StoredCallback> const& r, CallbackState state, std::optional<std::string> reply = {}) {
    REQUIRE(r.has_value());
    CHECK(r->state == state);
    if (reply) {
        CHECK(r->reply == *reply);
    }
}

// What a finish answered: it must have answered, `late` when a waiter had given up first.
void check_late(result<bool> const& r, bool late) {
    REQUIRE(r.has_value());
    CHECK(*r == late);
}

}  // namespace

TEST_CASE("callback store: the first delivery claims, retries find it running, then done", "[wechat][redis]") {
    run([](CallbackStore& store) -> net::awaitable<void> {
        auto first = co_await store.claim(kKey);
        check_answer(first, CallbackState::claimed);
        auto retry = co_await store.claim(kKey);
        check_answer(retry, CallbackState::running);
        auto late = co_await store.finish(kKey, "<xml>回复\n第二行</xml>");
        check_late(late, false);
        auto after = co_await store.claim(kKey);
        check_answer(after, CallbackState::done, "<xml>回复\n第二行</xml>");  // a newline inside stays
        // A waiter whose deadline passes now gets the reply, and changes nothing.
        auto waiter = co_await store.give_up(kKey);
        check_answer(waiter, CallbackState::done, "<xml>回复\n第二行</xml>");
    });
    CHECK(value() == "running\n<xml>回复\n第二行</xml>");
    CHECK(test::shared_redis().command({"EXISTS", CallbackStore::late_mark_key(kKey)}).integer == 0);  // in time
    auto ttl = test::shared_redis().command({"PTTL", kKey}).integer;
    CHECK(ttl > 59000);
    CHECK(ttl <= 60000);
}

TEST_CASE("callback store: a waiter gives up first, so the finished reply goes out later", "[wechat][redis]") {
    run([](CallbackStore& store) -> net::awaitable<void> {
        auto claimed = co_await store.claim(kKey);
        REQUIRE(claimed.has_value());
        auto waiter = co_await store.give_up(kKey);
        check_answer(waiter, CallbackState::late);
        auto second = co_await store.give_up(kKey);  // another instance's waiter
        check_answer(second, CallbackState::late);
        auto late = co_await store.finish(kKey, "<xml>晚到</xml>");
        check_late(late, true);
        // The reply went out later: no response may carry it, whichever way it is read.
        auto retry = co_await store.peek(kKey);
        check_answer(retry, CallbackState::sent_later, "<xml>晚到</xml>");
        auto new_delivery = co_await store.claim(kKey);
        check_answer(new_delivery, CallbackState::sent_later, "<xml>晚到</xml>");
        auto third = co_await store.give_up(kKey);
        check_answer(third, CallbackState::sent_later, "<xml>晚到</xml>");
    });
    // The mark lasts as long as the reply it speaks of.
    auto const mark_ttl = test::shared_redis().command({"PTTL", CallbackStore::late_mark_key(kKey)}).integer;
    CHECK(mark_ttl > 59000);
    CHECK(mark_ttl <= 60000);
    CHECK(value() == "running\n<xml>晚到</xml>");
}

TEST_CASE("callback store: a claim that expired under a slow handler still ends with one whole reply",
          "[wechat][redis]") {
    run([](CallbackStore& store) -> net::awaitable<void> {
        auto claimed = co_await store.claim(kKey);
        REQUIRE(claimed.has_value());
        test::shared_redis().command({"DEL", kKey});  // the claim's time ran out
        auto gone = co_await store.peek(kKey);
        check_answer(gone, CallbackState::gone);
        // A retry claims it afresh; the slow first handler finishes, then the retry's.
        auto again = co_await store.claim(kKey);
        check_answer(again, CallbackState::claimed);
        auto slow = co_await store.finish(kKey, "<xml>一</xml>");
        check_late(slow, false);
        auto retry = co_await store.finish(kKey, "<xml>二</xml>");
        check_late(retry, false);
        auto stored = co_await store.peek(kKey);
        check_answer(stored, CallbackState::done, "<xml>二</xml>");
        // A handler finishing after its claim vanished leaves a reply that expires too.
        test::shared_redis().command({"DEL", kKey});
        auto orphan = co_await store.finish(kKey, "<xml>三</xml>");
        check_late(orphan, false);
    });
    CHECK(value() == "running\n<xml>三</xml>");
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
        check_answer(retry, CallbackState::claimed);
        CHECK(retry->user_state == std::optional<std::string>("新建活动:标题"));
    });
}

// WeChat's retries and the 5-second rule against real Redis: concurrent identical deliveries
// run the handler once and all get its reply; a reply in time is answered without waiting for
// Redis to store it; a handler that misses the deadline gets "success" answered and its reply
// queued for later, exactly once.
#include "server/worker.hpp"
#include "support/callback_signer.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"
#include "wechat/callback_store.hpp"
#include "wechat/gateway.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

using namespace bense;
using namespace bense::test;

namespace {

// A handler that takes `delay`, counts its runs and answers "reply <n>".
struct SlowHandler {
    std::chrono::milliseconds delay;
    std::shared_ptr<std::atomic<int>> runs = std::make_shared<std::atomic<int>>(0);

    wechat::MessageHandler handler() const {
        return [delay = delay, runs = runs](wechat::Message const& m, server::Worker& w,
                                            wechat::UserState) -> net::awaitable<wechat::Reply> {
            int const n = ++*runs;
            net::steady_timer t(w.ioc());
            t.expires_after(delay);
            co_await t.async_wait(use_tuple);
            co_return wechat::Reply::text(m.from_user, m.to_user, "reply " + std::to_string(n));
        };
    }
};

std::unique_ptr<TestServer> start(SlowHandler const& h, std::chrono::milliseconds deadline) {
    auto config = test_gateway_config();
    config.handler_deadline = deadline;
    auto clock = std::make_shared<server::FixedClock>(kWxNow);
    auto s = std::make_unique<TestServer>(TestServerOptions{
        .add_routes = [=](server::Router& r) { wechat::add_gateway_routes(r, {config, h.handler(), clock}); },
        .redis_libraries = {wechat::callback_redis_library()}});
    shared_redis().flushall();
    REQUIRE(s->wait_redis_ready());
    return s;
}

long long late_count() { return shared_redis().command({"XLEN", std::string(wechat::kLateRepliesKey)}).integer; }

// The fields of the one reply queued to go out later.
std::map<std::string, std::string> only_late_reply() {
    auto entries = shared_redis().command({"XRANGE", std::string(wechat::kLateRepliesKey), "-", "+"});
    REQUIRE(entries.elements.size() == 1);
    return entry_fields(entries.elements[0]);
}

// Whether a callback from `openid` was claimed: its key is in Redis.
bool claimed(std::string const& openid) {
    return !shared_redis().command({"KEYS", "bense:{user:" + openid + "}:cb:*"}).elements.empty();
}

}  // namespace

TEST_CASE("10 concurrent identical deliveries: the handler runs once, all get its reply", "[wechat]") {
    SlowHandler h{std::chrono::milliseconds(300)};
    auto server = start(h, std::chrono::milliseconds(3000));
    auto const push = safe_push(text_xml("oRetry", "帮助", "9001"), test_crypto());
    std::vector<std::string> replies(10);
    std::vector<int> statuses(10);
    std::vector<std::thread> threads;
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&, i] {
            HttpClient client(server->port());
            auto res = client.post(push.target, push.body);
            statuses[i] = res.result_int();
            replies[i] = cdata(open_reply(res.body(), test_crypto()), "Content");
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    CHECK(*h.runs == 1);
    for (int i = 0; i < 10; ++i) {
        CHECK(statuses[i] == 200);
        CHECK(replies[i] == "reply 1");
    }
    // A retry after the work is done gets the stored reply at once.
    HttpClient late(server->port());
    auto again = late.post(push.target, push.body);
    CHECK(cdata(open_reply(again.body(), test_crypto()), "Content") == "reply 1");
    CHECK(*h.runs == 1);
    CHECK(late_count() == 0);
}

TEST_CASE("a handler past the deadline: success now, the reply queued once", "[wechat]") {
    SlowHandler h{std::chrono::milliseconds(600)};
    auto server = start(h, std::chrono::milliseconds(200));
    HttpClient client(server->port());
    auto const push = plain_push(text_xml("oSlow", "帮助", "9002"));
    auto const t0 = std::chrono::steady_clock::now();
    auto res = client.post(push.target, push.body);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "success");

    REQUIRE(eventually([] { return late_count() == 1; }, std::chrono::seconds(3)));
    auto f = only_late_reply();
    CHECK(f["endpoint"] == "oa");
    CHECK(f["openid"] == "oSlow");
    CHECK(cdata(f["reply"], "Content") == "reply 1");

    // WeChat's retry now gets "success" (the reply goes out once, later), and no new run.
    auto retry = client.post(push.target, push.body);
    CHECK(retry.body() == "success");
    CHECK(*h.runs == 1);
    CHECK(late_count() == 1);
}

TEST_CASE("a reply in time is answered while it is being stored, and stored all the same", "[wechat]") {
    SlowHandler h{std::chrono::milliseconds(200)};
    auto server = start(h, std::chrono::milliseconds(3000));
    auto const push = plain_push(text_xml("oEarly", "帮助", "9003"));
    std::string reply;
    std::chrono::steady_clock::duration took{};
    std::thread first([&] {
        HttpClient client(server->port());
        auto const t0 = std::chrono::steady_clock::now();
        auto res = client.post(push.target, push.body);
        took = std::chrono::steady_clock::now() - t0;
        reply = cdata(res.body(), "Content");
    });
    REQUIRE(eventually([] { return claimed("oEarly"); }, std::chrono::seconds(2)));
    // Redis busy for 2 s from now, while the handler still works: its reply cannot be stored
    // before then, and the response does not wait for that.
    std::thread busy([] {
        shared_redis().command({"EVAL",
                                "local t0 = redis.call('TIME') "
                                "repeat local t = redis.call('TIME') "
                                "until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 2000000 return 1",
                                "0"});
    });
    first.join();
    busy.join();
    CHECK(reply == "reply 1");
    CHECK(took < std::chrono::milliseconds(1000));
    // WeChat's retry now gets the stored reply, and no new run.
    HttpClient client(server->port());
    CHECK(cdata(client.post(push.target, push.body).body(), "Content") == "reply 1");
    CHECK(*h.runs == 1);
    CHECK(late_count() == 0);
}

TEST_CASE("a retry that gave up on another instance first: the reply in time is queued too", "[wechat]") {
    // The first delivery on an instance with a 3 s deadline; its retry on one with 150 ms gives
    // up while the handler works. WeChat only retries after dropping the first connection, so
    // the first response reaches no one: the reply must go out later, and does.
    SlowHandler first_h{std::chrono::milliseconds(600)};
    SlowHandler retry_h{std::chrono::milliseconds(600)};
    auto first_server = start(first_h, std::chrono::milliseconds(3000));
    auto retry_server = start(retry_h, std::chrono::milliseconds(150));
    auto const push = plain_push(text_xml("oTwo", "帮助", "9004"));
    std::string first_body;
    std::thread first([&] {
        HttpClient client(first_server->port());
        first_body = client.post(push.target, push.body).body();
    });
    REQUIRE(eventually([] { return claimed("oTwo"); }, std::chrono::seconds(2)));
    HttpClient client(retry_server->port());
    auto retry = client.post(push.target, push.body);
    CHECK(retry.body() == "success");
    first.join();
    CHECK(cdata(first_body, "Content") == "reply 1");
    REQUIRE(eventually([] { return late_count() == 1; }, std::chrono::seconds(3)));
    auto f = only_late_reply();
    CHECK(f["openid"] == "oTwo");
    CHECK(cdata(f["reply"], "Content") == "reply 1");
    CHECK(*first_h.runs == 1);
    CHECK(*retry_h.runs == 0);
}

TEST_CASE("mini-program pushes never carry a reply: it is queued", "[wechat]") {
    SlowHandler h{std::chrono::milliseconds(1)};
    auto server = start(h, std::chrono::milliseconds(2000));
    HttpClient client(server->port());
    std::string const json = R"({"ToUserName":"gh_mp","FromUserName":"oMp","CreateTime":1714036504,)"
                             R"("MsgType":"text","Content":"帮助","MsgId":"777"})";
    auto const push = plain_push(json, kWxNow, "/wechat/mp");
    auto res = client.post(push.target, push.body);
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "success");
    CHECK(late_count() == 1);
}

TEST_CASE("mini-program JSON in safe mode: decrypted, answered success, reply queued", "[wechat]") {
    SlowHandler h{std::chrono::milliseconds(1)};
    auto server = start(h, std::chrono::milliseconds(2000));
    HttpClient client(server->port());
    std::string const json = R"({"ToUserName":"gh_mp","FromUserName":"oMpSafe","CreateTime":1714036504,)"
                             R"("MsgType":"text","Content":"帮助","MsgId":"778"})";
    auto const enc = *test_crypto().encrypt(json);
    auto p = safe_push_raw(enc);
    p.target.replace(0, std::string("/wechat/oa").size(), "/wechat/mp");
    p.body = R"({"ToUserName":"gh_mp","Encrypt":")" + enc + R"("})";
    auto res = client.post(p.target, p.body);
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "success");
    CHECK(*h.runs == 1);
    CHECK(late_count() == 1);

    p.body = R"({"ToUserName":"gh_mp","Encrypt":")" + enc.substr(4) + R"("})";
    CHECK(client.post(p.target, p.body).result_int() == 401);  // msg_signature covers Encrypt
}

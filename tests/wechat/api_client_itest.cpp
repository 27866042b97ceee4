// The API client against the fake WeChat over real HTTPS, with a real Redis: the token is
// shared by instances, refreshed once under a storm, and errors are retried by the rules.
#include "wechat/api_client.hpp"

#include "server/errors.hpp"
#include "support/redis_server.hpp"
#include "support/wechat_instance.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace bense;
using namespace bense::wechat;
using test::WechatInstance;

namespace {

void fail_next(FakeWechat& fake, std::string const& path, int errcode, int count, int delay_ms = 0) {
    auto body = fmt::format(R"({{"path":"{}","errcode":{},"count":{},"delay_ms":{}}})", path, errcode, count, delay_ms);
    fake.state().handle(http::verb::post, "/_fake/fail", body);
}

// Fires `n` concurrent customer-service sends on the instance; returns how many succeeded.
std::future<int> send_burst(WechatInstance& inst, int n) {
    return net::co_spawn(
        inst.ioc(),
        [&inst, n]() -> net::awaitable<int> {
            int done = 0, good = 0;
            net::steady_timer all(inst.ioc(), std::chrono::steady_clock::time_point::max());
            for (int i = 0; i < n; ++i) {
                net::co_spawn(inst.ioc(), inst.api().send_custom_text("o-burst", "提醒"),
                              [&](std::exception_ptr, result<void, ApiError> r) {
                                  good += r.has_value() ? 1 : 0;
                                  if (++done == n) {
                                      all.cancel();
                                  }
                              });
            }
            co_await all.async_wait(use_tuple);
            co_return good;
        },
        net::use_future);
}

}  // namespace

TEST_CASE("1000 concurrent API calls across two instances fetch the token once", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance a(fake, redis.address());
    WechatInstance b(fake, redis.address());
    auto fa = send_burst(a, 500);
    auto fb = send_burst(b, 500);
    CHECK(fa.get() == 500);
    CHECK(fb.get() == 500);
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 1000);
    CHECK(fake.state().calls("/cgi-bin/stable_token") == 1);
    // Both instances use the same token.
    auto ta = a.run(a.tokens().token());
    auto tb = b.run(b.tokens().token());
    REQUIRE(ta.has_value());
    REQUIRE(tb.has_value());
    CHECK(*ta == *tb);
}

TEST_CASE("callers waiting on a slow token fetch use its token, none fetches again", "[wechat][api]") {
    // Many waiters poll while one instance fetches; when it stores the token and frees the
    // lock, a waiter whose look at the cache came just before must not take the lock and ask
    // WeChat once more. Several rounds, so that the moment falls between a waiter's two steps.
    auto& redis = test::shared_redis();
    FakeWechat fake;
    WechatInstance a(fake, redis.address());
    WechatInstance b(fake, redis.address());
    for (int round = 1; round <= 5; ++round) {
        redis.flushall();
        fail_next(fake, "/cgi-bin/stable_token", 0, 1, 150);  // a real answer, 150 ms late
        auto fa = send_burst(a, 300);
        auto fb = send_burst(b, 300);
        CHECK(fa.get() == 300);
        CHECK(fb.get() == 300);
        CHECK(fake.state().calls("/cgi-bin/stable_token") == round);
    }
}

TEST_CASE("a token error refreshes once and retries once", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());
    fail_next(fake, "/cgi-bin/message/custom/send", 40001, 1);
    auto r = inst.run(inst.api().send_custom_text("openid-1", "您好"));
    CHECK(r.has_value());
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 2);
    CHECK(fake.state().calls("/cgi-bin/stable_token") == 2);

    fail_next(fake, "/cgi-bin/message/custom/send", 40001, 5);  // a token error that persists
    auto again = inst.run(inst.api().send_custom_text("openid-1", "您好"));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().errcode == 40001);
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 4);  // one refresh, one retry
}

TEST_CASE("45009 is final and 43101 or parameter errors are not retried", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());
    for (int code : {45009, 43101, 40003, 47003}) {
        fake.state().handle(http::verb::post, "/_fake/reset", "");
        fail_next(fake, "/cgi-bin/message/custom/send", code, 10);
        auto r = inst.run(inst.api().send_custom_text("openid-1", "您好"));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().errcode == code);
        CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 1);
    }
    // The quota alarm is a metric an operator can alert on.
    CHECK(inst.metrics_text().find(
              R"(bense_wechat_api_errors_total{path="/cgi-bin/message/custom/send",errcode="45009"} 1)") !=
          std::string::npos);
}

TEST_CASE("busy answers (-1) are retried with backoff, a bounded number of times", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());
    fail_next(fake, "/cgi-bin/message/custom/send", -1, 1);
    CHECK(inst.run(inst.api().send_custom_text("openid-1", "您好")).has_value());
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 2);

    fake.state().handle(http::verb::post, "/_fake/reset", "");
    fail_next(fake, "/cgi-bin/message/custom/send", -1, 10);
    auto r = inst.run(inst.api().send_custom_text("openid-1", "您好"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().errcode == -1);
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == ApiClient::kMaxAttempts);
}

TEST_CASE("a send that timed out is recorded as unknown and not sent again", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address(), std::chrono::milliseconds(300));
    inst.run(inst.tokens().token());  // the token first, so only the send is slow
    fail_next(fake, "/cgi-bin/message/custom/send", 0, 1, 1000);
    auto r = inst.run(inst.api().send_custom_text("openid-1", "请于明天九点参加主题党日"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().unknown_outcome);
    CHECK(r.error().transport == server::errc::upstream_timeout);
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 1);
    auto entries = redis.command({"XRANGE", std::string(ApiClient::kUnknownStream), "-", "+"});
    REQUIRE(entries.elements.size() == 1);
    CHECK(entries.elements[0].elements[1].elements[3].str == "/cgi-bin/message/custom/send");
}

TEST_CASE("jscode2session resolves a code once, used and invalid codes are clear errors", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());
    auto minted = fake.state().handle(http::verb::post, "/_fake/code", R"({"openid":"o-1","unionid":"u-1"})");
    auto code = std::string(minted.body.substr(9, minted.body.size() - 11));
    auto s = inst.run(inst.api().jscode2session(code));
    REQUIRE(s.has_value());
    CHECK(s->openid == "o-1");
    CHECK(s->unionid == "u-1");
    CHECK_FALSE(s->session_key.empty());
    auto used = inst.run(inst.api().jscode2session(code));
    REQUIRE_FALSE(used.has_value());
    CHECK(used.error().errcode == 40163);
    auto bad = inst.run(inst.api().jscode2session("nonsense"));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().errcode == 40029);
}

TEST_CASE("typed sends carry WeChat's JSON shapes and keep 64-bit msgids", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());

    TemplateMessage t{"o-1", "tmpl-1", {{"thing1", "主题党日"}, {"time2", "2026年12月5日 09:00"}}, "",
                      "wxminiapp", "pages/activity/index?id=7", "remind:act7:o-1:24h"};
    auto msgid = inst.run(inst.api().send_template(t));
    REQUIRE(msgid.has_value());
    CHECK(msgid->size() == 19);  // e.g. 3487542469355618314: past 2^53, kept exact
    auto sent = fake.state().handle(http::verb::get, "/_fake/sent", "").body;
    CHECK(sent.find(R"("client_msg_id":"remind:act7:o-1:24h")") != std::string::npos);
    CHECK(sent.find(R"("miniprogram":{"appid":"wxminiapp","pagepath":"pages/activity/index?id=7"})") != std::string::npos);
    CHECK(sent.find(R"("thing1":{"value":"主题党日"})") != std::string::npos);

    SubscribeMessage ok{"o-1", "sub-1", {{"thing1", "主题党日"}, {"time2", "2026-12-05 09:00"}}, "pages/index/index"};
    CHECK(inst.run(inst.api().send_subscribe(ok)).has_value());
    int const before = fake.state().calls("/cgi-bin/message/subscribe/send");
    SubscribeMessage bad{"o-1", "sub-1", {{"thing1", std::string("这是一个超过二十个字的活动标题这是一个超过二十个字")}}, ""};
    auto refused = inst.run(inst.api().send_subscribe(bad));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().errcode == 47003);
    CHECK(refused.error().errmsg.find("thing1") != std::string::npos);
    CHECK(fake.state().calls("/cgi-bin/message/subscribe/send") == before);  // nothing spent
}

TEST_CASE("mini-program codes, content checks, phone numbers and the menu", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());

    auto png = inst.run(inst.api().wxacode_unlimited("a=7&s=ab12", "pages/checkin/index"));
    REQUIRE(png.has_value());
    CHECK(png->starts_with("\x89PNG"));
    auto too_long = inst.run(inst.api().wxacode_unlimited(std::string(33, 'x'), ""));
    REQUIRE_FALSE(too_long.has_value());
    CHECK(too_long.error().errcode == 40169);

    auto clean = inst.run(inst.api().check_text("o-1", "学习二十大精神"));
    REQUIRE(clean.has_value());
    CHECK((*clean == ContentVerdict::pass));
    auto risky = inst.run(inst.api().check_text("o-1", "这里有违禁词"));
    REQUIRE(risky.has_value());
    CHECK((*risky == ContentVerdict::risky));

    auto minted = fake.state().handle(http::verb::post, "/_fake/phone_code", R"({"phone":"13800000000"})");
    auto code = minted.body.substr(9, minted.body.size() - 11);
    auto phone = inst.run(inst.api().phone_number(code));
    REQUIRE(phone.has_value());
    CHECK(*phone == "13800000000");
    auto reused = inst.run(inst.api().phone_number(code));
    REQUIRE_FALSE(reused.has_value());
    CHECK(reused.error().errcode == 40029);

    CHECK(inst.run(inst.api().create_menu(R"({"button":[{"type":"click","name":"签到","key":"CHECKIN"}]})")).has_value());
    CHECK(fake.state().calls("/cgi-bin/menu/create") == 1);
}

TEST_CASE("customer-service news and mini-program cards", "[wechat][api]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    WechatInstance inst(fake, redis.address());
    CHECK(inst.run(inst.api().send_custom_news("o-1", "微党课", "第一讲", "https://example.org/a", "")).has_value());
    CHECK(inst.run(inst.api().send_custom_miniprogram_page("o-1", "签到", "wxmp", "pages/checkin/index", "m1"))
              .has_value());
    auto sent = fake.state().handle(http::verb::get, "/_fake/sent", "").body;
    CHECK(sent.find(R"("msgtype":"news","news":{"articles":[{"title":"微党课")") != std::string::npos);
    CHECK(sent.find(R"("msgtype":"miniprogrampage","miniprogrampage":{"title":"签到","appid":"wxmp")") !=
          std::string::npos);
}

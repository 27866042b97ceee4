// Late replies queued by the gateway go out as customer-service messages, each once, shared
// by any number of senders.
#include "wechat/late_replies.hpp"

#include "support/redis_server.hpp"
#include "support/wechat_instance.hpp"
#include "wechat/callback_store.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::wechat;

namespace {

void queue(test::RedisServer& redis, std::string const& endpoint, std::string const& openid, std::string const& text) {
    auto xml = "<xml><ToUserName><![CDATA[" + openid + "]]></ToUserName><FromUserName><![CDATA[gh_x]]>"
               "</FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" +
               text + "]]></Content></xml>";
    redis.command({"XADD", std::string(kLateRepliesKey), "*", "endpoint", endpoint, "openid", openid, "callback",
                   "k", "reply", xml});
}

}  // namespace

TEST_CASE("late replies are sent once as customer-service texts by shared senders", "[wechat][late]") {
    auto& redis = test::shared_redis();
    redis.flushall();
    FakeWechat fake;
    test::WechatInstance a(fake, redis.address());
    test::WechatInstance b(fake, redis.address());
    LateReplySenderOptions oa{"a"}, ob{"b"};
    a.run(send_late_replies_once(a.redis(), &a.api(), nullptr, oa));  // creates the group
    for (int i = 0; i < 10; ++i) {
        queue(redis, "oa", "o-" + std::to_string(i), "您好，第" + std::to_string(i) + "条");
    }
    queue(redis, "mp", "o-mp", "没有小程序客户端的回复");  // no mp client here: dropped, logged
    int taken = 0;
    for (int round = 0; round < 5; ++round) {
        taken += a.run(send_late_replies_once(a.redis(), &a.api(), nullptr, oa));
        taken += b.run(send_late_replies_once(b.redis(), &b.api(), nullptr, ob));
    }
    CHECK(taken == 11);
    CHECK(fake.state().calls("/cgi-bin/message/custom/send") == 10);
    auto sent = fake.state().handle(http::verb::get, "/_fake/sent", "").body;
    CHECK(sent.find(R"("touser":"o-3","msgtype":"text","text":{"content":"您好，第3条"})") != std::string::npos);
    auto pending = redis.command({"XPENDING", std::string(kLateRepliesKey), "late-senders"});
    CHECK(pending.elements.at(0).integer == 0);  // every entry acknowledged
}

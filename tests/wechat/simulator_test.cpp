// `bense sim` builds callbacks the gateway reads as WeChat's own.
#include "wechat/message.hpp"
#include "wechat/simulator.hpp"

#include <catch2/catch.hpp>

using namespace bense::wechat;

TEST_CASE("sim builds a parseable callback of each kind", "[wechat]") {
    SimArgs a;
    a.openid = "oSim";
    auto parse = [&](std::string kind, std::string content) {
        a.kind = std::move(kind);
        a.content = std::move(content);
        auto m = parse_message_xml(sim_message_xml(a, 1714036504));
        REQUIRE(m.has_value());
        CHECK(m->from_user == "oSim");
        return *m;
    };
    auto t = parse("text", "签到 4821");
    CHECK(t.msg_type == "text");
    CHECK(t.content == "签到 4821");
    CHECK(t.msg_id == "1714036504000");
    auto v = parse("voice", "帮助");
    CHECK(v.recognition == "帮助");
    auto c = parse("click", "HELP");
    CHECK(c.event == "CLICK");
    CHECK(c.event_key == "HELP");
    auto s = parse("subscribe", "12");
    CHECK(s.event == "subscribe");
    CHECK(s.scene == "12");
    auto q = parse("scan", "12");
    CHECK(q.event == "SCAN");
    CHECK(q.scene == "12");
}

// The fake's token rules, with an injected clock: no I/O.
#include "wechat/fake_wechat_state.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::wechat;

TEST_CASE("the fake invalidates a rotated token after its grace period", "[wechat][fake]") {
    auto now = std::chrono::system_clock::now();
    FakeWechatState state({}, [&] { return now; });
    auto first = state.handle(http::verb::get, "/cgi-bin/token?grant_type=client_credential&appid=a&secret=s", "");
    auto token1 = first.body.substr(17, first.body.find('"', 17) - 17);
    state.handle(http::verb::get, "/cgi-bin/token?grant_type=client_credential&appid=a&secret=s", "");
    auto send = [&] {
        return state.handle(http::verb::post, "/cgi-bin/message/custom/send?access_token=" + token1, "{}").body;
    };
    CHECK(send().find("\"errcode\":0") != std::string::npos);  // still in its grace
    now += std::chrono::seconds(301);
    CHECK(send().find("\"errcode\":42001") != std::string::npos);
    CHECK(state.handle(http::verb::post, "/cgi-bin/message/custom/send?access_token=forged", "{}").body.find("40001") !=
          std::string::npos);
}

TEST_CASE("the fake's login codes are one-time and unknown codes are 40029", "[wechat][fake]") {
    FakeWechatState state({});
    auto minted = state.handle(http::verb::post, "/_fake/code", R"({"openid":"o-9"})");
    auto code = minted.body.substr(9, minted.body.size() - 11);
    auto first = state.handle(http::verb::get, "/sns/jscode2session?js_code=" + code, "");
    CHECK(first.body.find("\"openid\":\"o-9\"") != std::string::npos);
    CHECK(first.body.find("unionid") == std::string::npos);
    CHECK(state.handle(http::verb::get, "/sns/jscode2session?js_code=" + code, "").body.find("40163") != std::string::npos);
    CHECK(state.handle(http::verb::get, "/sns/jscode2session?js_code=x", "").body.find("40029") != std::string::npos);
}

TEST_CASE("the fake records sends with 64-bit msgids and checks wxacode scenes", "[wechat][fake]") {
    FakeWechatState state({});
    auto tok = state.handle(http::verb::post, "/cgi-bin/stable_token",
                            R"({"grant_type":"client_credential","appid":"a","secret":"s"})");
    auto token = tok.body.substr(17, tok.body.find('"', 17) - 17);
    auto sent = state.handle(http::verb::post, "/cgi-bin/message/template/send?access_token=" + token,
                             R"({"touser":"o","template_id":"t","data":{}})");
    CHECK(sent.body.find("\"msgid\":3487542469355618314") != std::string::npos);
    CHECK(state.handle(http::verb::get, "/_fake/sent", "").body.find("\"template_id\":\"t\"") != std::string::npos);
    auto png = state.handle(http::verb::post, "/wxa/getwxacodeunlimit?access_token=" + token, R"({"scene":"a=1"})");
    CHECK(png.content_type == "image/png");
    auto bad = state.handle(http::verb::post, "/wxa/getwxacodeunlimit?access_token=" + token,
                            R"({"scene":"123456789012345678901234567890123"})");
    CHECK(bad.body.find("40169") != std::string::npos);
    auto risky = state.handle(http::verb::post, "/wxa/msg_sec_check?access_token=" + token, R"({"content":"含违禁词"})");
    CHECK(risky.body.find("\"suggest\":\"risky\"") != std::string::npos);
}

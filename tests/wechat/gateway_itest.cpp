// The callback gateway over real HTTP and real Redis, with the chat bot behind it: URL
// verification, plain and safe mode, key rotation, and every kind of bad input refused
// with a clear status before anything is written to Redis.
#include "handlers/module.hpp"
#include "support/callback_signer.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"
#include "support/test_server.hpp"
#include "wechat/callback_store.hpp"
#include "wechat/gateway.hpp"
#include "wechat/message.hpp"
#include "wechat/signature.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace bense;
using namespace bense::test;

namespace {

struct Fixture {
    std::shared_ptr<server::FixedClock> clock = std::make_shared<server::FixedClock>(kWxNow);
    TestServer server;
    HttpClient client;

    Fixture()
        : server({.add_routes =
                      [this](server::Router& r) {
                          auto deps = std::make_shared<handlers::RosterDeps>();
                          deps->clock = clock;
                          handlers::add_chat_routes(r, test_gateway_config(), deps);
                      },
                  .redis_libraries = {wechat::callback_redis_library()}}),
          client(server.port()) {
        shared_redis().flushall();
        REQUIRE(server.wait_redis_ready());
    }

    HttpResponse post(Push const& p) { return client.post(p.target, p.body); }
};

long long dbsize() { return shared_redis().command({"DBSIZE"}).integer; }

std::string help_text() { return project_templates().render("bot.help"); }

}  // namespace

TEST_CASE("GET verification echoes echostr exactly, and refuses a bad signature", "[wechat]") {
    Fixture f;
    auto const ts = std::to_string(kWxNow);
    auto const sig = wechat::url_signature(kWxToken, ts, "42");
    auto ok = f.client.get("/wechat/oa?signature=" + sig + "&timestamp=" + ts + "&nonce=42&echostr=5837397520");
    CHECK(ok.result_int() == 200);
    CHECK(ok.body() == "5837397520");
    CHECK(ok[http::field::content_type] == "text/plain");

    auto bad = f.client.get("/wechat/oa?signature=" + std::string(40, '0') + "&timestamp=" + ts +
                            "&nonce=42&echostr=5837397520");
    CHECK(bad.result_int() == 401);
    CHECK(bad.body().find("\"code\":\"wechat.bad_signature\"") != std::string::npos);
}

TEST_CASE("plain text 帮助 gets the help text as a passive reply", "[wechat]") {
    Fixture f;
    auto res = f.post(plain_push(text_xml("oUser1", "帮助", "1001")));
    REQUIRE(res.result_int() == 200);
    CHECK(cdata(res.body(), "Content") == help_text());
    CHECK(cdata(res.body(), "ToUserName") == "oUser1");
    CHECK(cdata(res.body(), "FromUserName") == "gh_test");
}

TEST_CASE("safe mode: encrypted request, encrypted reply", "[wechat]") {
    Fixture f;
    auto const c = test_crypto();
    auto res = f.post(safe_push(text_xml("oUser2", "ｈｅｌｐ", "1002"), c));
    REQUIRE(res.result_int() == 200);
    auto const plain = open_reply(res.body(), c);
    CHECK(cdata(plain, "Content") == help_text());
}

TEST_CASE("key rotation: a request under the previous key is answered under it", "[wechat]") {
    Fixture f;
    auto const previous = test_crypto(kWxPreviousAesKey);
    auto res = f.post(safe_push(text_xml("oUser3", "帮助", "1003"), previous));
    REQUIRE(res.result_int() == 200);
    CHECK(cdata(open_reply(res.body(), previous), "Content") == help_text());
    CHECK(open_reply(res.body(), test_crypto()).empty());
}

TEST_CASE("subscribe gets the welcome, voice without recognition asks for typing", "[wechat]") {
    Fixture f;
    auto welcome = f.post(plain_push(event_xml("oUser4", "subscribe", "")));
    CHECK(cdata(welcome.body(), "Content") == project_templates().render("bot.welcome"));
    auto voice = f.post(plain_push(voice_xml("oUser4", "", "1004")));
    CHECK(cdata(voice.body(), "Content") == project_templates().render("bot.voice_unclear"));
    auto spoken = f.post(plain_push(voice_xml("oUser4", "帮助。", "1005")));
    CHECK(cdata(spoken.body(), "Content") == help_text());
}

TEST_CASE("an unknown message type is answered success, never 500", "[wechat]") {
    Fixture f;
    auto body = text_xml("oUser5", "x", "1006");
    body.replace(body.find("[text]"), 6, "[hologram]");
    auto res = f.post(plain_push(body));
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "success");
    auto ev = f.post(plain_push(event_xml("oUser5", "teleport", "")));
    CHECK(ev.body() == "success");
}

TEST_CASE("bad input is refused with a clear status and leaves Redis untouched", "[wechat]") {
    Fixture f;
    auto const c = test_crypto();
    auto const good = text_xml("oBad", "帮助", "2001");
    auto expect = [&](Push const& p, unsigned status, std::string const& code) {
        INFO(p.target << "\n" << p.body.substr(0, 200));
        auto res = f.post(p);
        CHECK(res.result_int() == status);
        CHECK(res.body().find("\"code\":\"" + code + "\"") != std::string::npos);
        CHECK(dbsize() == 0);
    };

    SECTION("wrong signature") {
        auto p = plain_push(good);
        p.target.replace(p.target.find("signature=") + 10, 4, "0000");
        expect(p, 401, "wechat.bad_signature");
    }
    SECTION("wrong msg_signature") {
        auto p = safe_push(good, c);
        p.target.replace(p.target.find("msg_signature=") + 14, 4, "0000");
        expect(p, 401, "wechat.bad_signature");
    }
    SECTION("signature missing") { expect({"/wechat/oa?timestamp=1&nonce=2", good}, 401, "wechat.bad_signature"); }
    SECTION("stale timestamp") { expect(plain_push(good, kWxNow - 301), 403, "wechat.stale_timestamp"); }
    SECTION("timestamp from the future") { expect(plain_push(good, kWxNow + 301), 403, "wechat.stale_timestamp"); }
    SECTION("not XML") { expect(plain_push("hello, world"), 400, "wechat.bad_body"); }
    SECTION("truncated XML") { expect(plain_push(good.substr(0, good.size() / 2)), 400, "wechat.bad_body"); }
    SECTION("DOCTYPE with an entity") {
        auto const bomb = "<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>" + good;
        expect(plain_push(bomb), 400, "wechat.bad_body");
    }
    SECTION("missing fields") {
        expect(plain_push("<xml><ToUserName>gh</ToUserName><MsgType>text</MsgType></xml>"), 400, "wechat.bad_body");
    }
    SECTION("invalid UTF-8") { expect(plain_push(text_xml("oBad", "\xff\xfe", "2002")), 400, "wechat.bad_body"); }
    SECTION("more leaves than any push has") {
        std::string leaves;
        for (std::size_t i = 0; i < wechat::kMaxLeaves; ++i) {
            leaves += "<Extra>" + std::to_string(i) + "</Extra>";
        }
        auto xml = good;
        xml.insert(xml.rfind("</xml>"), leaves);
        expect(plain_push(xml), 400, "wechat.bad_body");
    }
    SECTION("base64 garbage") { expect(safe_push_raw("!!!not*base64!!!"), 400, "wechat.bad_encryption"); }
    SECTION("truncated ciphertext") {
        auto enc = *c.encrypt(good);
        expect(safe_push_raw(enc.substr(0, 44)), 400, "wechat.bad_encryption");
    }
    SECTION("ciphertext not a whole number of blocks") {
        expect(safe_push_raw(wechat::base64_encode(std::string(48, 'x'))), 400, "wechat.bad_encryption");
    }
    SECTION("bad padding: pad byte 0, and pad byte 33") {
        expect(safe_push_raw(raw_encrypt(c, std::string(64, '\0'))), 400, "wechat.bad_encryption");
        expect(safe_push_raw(raw_encrypt(c, std::string(63, 'a') + '\x21')), 400, "wechat.bad_encryption");
    }
    SECTION("wrong app id") {
        expect(safe_push(good, test_crypto(kWxAesKey, "wxsomeoneelse00000")), 400, "wechat.wrong_appid");
    }
    SECTION("unknown encrypt_type") {
        auto p = plain_push(good);
        p.target += "&encrypt_type=rot13";
        expect(p, 400, "wechat.bad_body");
    }
}

TEST_CASE("an oversized body is refused with 413 before it is read", "[wechat]") {
    Fixture f;
    auto p = plain_push(text_xml("oBig", std::string(wechat::kCallbackBodyLimit, 'a'), "3001"));
    auto res = f.post(p);
    CHECK(res.result_int() == 413);
    CHECK(dbsize() == 0);
}

TEST_CASE("gateway metrics count callbacks and refusals", "[wechat]") {
    Fixture f;
    f.post(plain_push(text_xml("oM", "帮助", "4001")));
    f.post(plain_push(text_xml("oM", "帮助", "4001")));
    auto p = plain_push(text_xml("oM", "帮助", "4002"));
    p.target.replace(p.target.find("signature=") + 10, 4, "0000");
    f.post(p);
    auto const metrics = HttpClient(f.server.port()).get("/metrics").body();
    CHECK(metrics.find("bense_wechat_callbacks_total{endpoint=\"oa\",type=\"text\",event=\"\"} 2") != std::string::npos);
    CHECK(metrics.find("bense_wechat_retries_total{endpoint=\"oa\"} 1") != std::string::npos);
    CHECK(metrics.find("bense_wechat_signature_failures_total{endpoint=\"oa\"} 1") != std::string::npos);
}

TEST_CASE("every message and event of the fixtures is answered 200, plain and safe", "[wechat]") {
    Fixture f;
    auto const c = test_crypto();
    namespace fs = std::filesystem;
    int seen = 0;
    for (auto const& entry : fs::directory_iterator(BENSE_SOURCE_DIR "/tests/fixtures/wechat")) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::string const body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        bool const json = entry.path().extension() == ".json";
        INFO(entry.path().filename().string());
        auto plain = f.post(plain_push(body, kWxNow, json ? "/wechat/mp" : "/wechat/oa"));
        CHECK(plain.result_int() == 200);
        if (!json) {
            shared_redis().flushall();  // the same message again, as a new one, in safe mode
            auto safe = f.post(safe_push(body, c));
            CHECK(safe.result_int() == 200);
            CHECK((safe.body() == "success" || !open_reply(safe.body(), c).empty()));
        }
        ++seen;
    }
    CHECK(seen >= 30);
}

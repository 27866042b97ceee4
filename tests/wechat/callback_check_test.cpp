// The gateway's pure checks: signature before anything else, the timestamp window, each
// body failure named, and "success" never encrypted.
#include "wechat/callback_check.hpp"
#include "wechat/gateway_config.hpp"
#include "wechat/signature.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace bense;
using namespace bense::wechat;

namespace {

constexpr std::int64_t kNow = 1714036504;
constexpr char kKey[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

EndpointConfig endpoint() { return {.enabled = true, .appid = "wxapp", .token = "tok", .aes_key = kKey}; }

CallbackQuery signed_query(std::int64_t ts) {
    auto const t = std::to_string(ts);
    return {url_signature("tok", t, "n1"), t, "n1", "echo-me", "", ""};
}

std::string const kText =
    "<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>hi</Content><MsgId>5</MsgId></xml>";

}  // namespace

TEST_CASE("callback check: URL verification", "[wechat]") {
    auto ep = endpoint();
    auto echo = verify_url(ep, signed_query(kNow), kNow, 300);
    REQUIRE(echo.has_value());
    CHECK(*echo == "echo-me");
    auto q = signed_query(kNow);
    q.signature[0] = q.signature[0] == 'a' ? 'b' : 'a';
    CHECK(verify_url(ep, q, kNow, 300).error().failure == CallbackFailure::bad_signature);
    CHECK(verify_url(ep, signed_query(kNow - 301), kNow, 300).error().failure == CallbackFailure::stale_timestamp);
    CHECK(verify_url(ep, signed_query(kNow - 300), kNow, 300).has_value());
}

TEST_CASE("callback check: the signature is checked before the body is looked at", "[wechat]") {
    auto ep = endpoint();
    auto q = signed_query(kNow);
    q.nonce = "other";
    auto r = verify_push(ep, nullptr, q, "not xml at all", kNow, 300);
    CHECK(r.error().failure == CallbackFailure::bad_signature);
}

TEST_CASE("callback check: plain mode parses the body, safe mode without a key is refused", "[wechat]") {
    auto ep = endpoint();
    auto ok = verify_push(ep, nullptr, signed_query(kNow), kText, kNow, 300);
    REQUIRE(ok.has_value());
    CHECK(ok->message->content == "hi");
    CHECK_FALSE(ok->encrypted);
    auto q = signed_query(kNow);
    q.encrypt_type = "aes";
    CHECK(verify_push(ep, nullptr, q, kText, kNow, 300).error().failure == CallbackFailure::bad_encryption);
}

TEST_CASE("callback check: success is never encrypted, a reply is", "[wechat]") {
    auto ep = endpoint();
    auto keys = ep.key_ring();
    REQUIRE(keys.has_value());
    VerifiedCallback v;
    v.encrypted = true;
    server::RandomPool random;
    auto s = render_reply_body("success", ep, &*keys, v, "n1", kNow, random);
    REQUIRE(s.has_value());
    CHECK(s->body == "success");
    auto r = render_reply_body("<xml>x</xml>", ep, &*keys, v, "n1", kNow, random);
    REQUIRE(r.has_value());
    CHECK(r->body.find("<Encrypt>") != std::string::npos);
    CHECK(r->body.find("<TimeStamp>1714036504</TimeStamp>") != std::string::npos);

    // Each reply has its own 16 random bytes from the pool, and opens with the endpoint's key.
    auto again = render_reply_body("<xml>x</xml>", ep, &*keys, v, "n1", kNow, random);
    REQUIRE(again.has_value());
    auto encrypt_of = [](std::string const& body) {
        auto envelope = parse_envelope_xml(body);
        REQUIRE(envelope.has_value());
        return envelope->encrypt;
    };
    CHECK(encrypt_of(r->body) != encrypt_of(again->body));
    auto first = keys->decrypt(encrypt_of(r->body));
    auto second = keys->decrypt(encrypt_of(again->body));
    for (auto const* opened : {&first, &second}) {
        REQUIRE(opened->has_value());
        CHECK((*opened)->message.msg == "<xml>x</xml>");
    }
    CHECK(first->message.random != second->message.random);
}

TEST_CASE("callback check: every failure has a row and a template", "[wechat]") {
    CHECK(callback_template_needs().size() == 5);
    CHECK(error_row(CallbackFailure::stale_timestamp).status == http::status::forbidden);
    CHECK(failure_label(CallbackFailure::wrong_appid) == "wrong_appid");
}

TEST_CASE("gateway config: secrets from the environment, bad keys named by path", "[wechat]") {
    ::setenv("BENSE_TEST_WX_TOKEN", "from-env-token", 1);
    auto read = [](std::string const& json) {
        auto doc = server::parse_jsonc(json);
        REQUIRE(doc.has_value());
        server::JsonObjectReader r(*doc, "/wechat");
        GatewayConfig c;
        read_gateway_config(r, c);
        r.finish();
        return std::make_pair(c, r.error());
    };
    auto [ok, err] = read(R"({"oa":{"appid":"wx1","token":"env:BENSE_TEST_WX_TOKEN"},"handler_deadline_ms":200})");
    CHECK(err.empty());
    CHECK(ok.oa.enabled);
    CHECK(ok.oa.token == "from-env-token");
    CHECK_FALSE(ok.mp.enabled);
    CHECK(ok.handler_deadline == std::chrono::milliseconds(200));
    CHECK(ok.timestamp_window_seconds == 300);

    auto [bad, bad_err] = read(R"({"oa":{"appid":"wx1","token":"tok","encoding_aes_key":"short"}})");
    CHECK(bad_err.find("/wechat/oa/encoding_aes_key") != std::string::npos);
    auto [unk, unk_err] = read(R"({"oa":{"appid":"wx1","token":"tok","colour":"red"}})");
    CHECK(unk_err.find("/wechat/oa/colour: unknown key") != std::string::npos);
    auto [fmt, fmt_err] = read(R"({"mp":{"appid":"wx1","token":"tok","format":"yaml"}})");
    CHECK(fmt_err.find("/wechat/mp/format") != std::string::npos);
}

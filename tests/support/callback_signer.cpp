// See callback_signer.hpp.
#include "support/callback_signer.hpp"

#include "wechat/message.hpp"
#include "wechat/signature.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace bense::test {
namespace {

constexpr char kNonce[] = "1514711492";

std::string header(std::string const& openid, std::string const& type, std::int64_t create_time) {
    return "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[" + openid +
           "]]></FromUserName><CreateTime>" + std::to_string(create_time) + "</CreateTime><MsgType><![CDATA[" +
           type + "]]></MsgType>";
}

std::string query(std::int64_t ts) {
    auto const t = std::to_string(ts);
    return "signature=" + wechat::url_signature(kWxToken, t, kNonce) + "&timestamp=" + t + "&nonce=" + kNonce +
           "&openid=test";
}

}  // namespace

wechat::GatewayConfig test_gateway_config() {
    wechat::GatewayConfig c;
    c.oa = {.enabled = true, .appid = kWxAppId, .token = kWxToken, .aes_key = kWxAesKey,
            .previous_aes_key = kWxPreviousAesKey};
    c.mp = {.enabled = true, .appid = kWxAppId, .token = kWxToken, .aes_key = kWxAesKey,
            .format = wechat::BodyFormat::json, .passive_replies = false};
    return c;
}

std::string text_xml(std::string const& openid, std::string const& content, std::string const& msg_id) {
    return header(openid, "text", kWxNow) + "<Content><![CDATA[" + content + "]]></Content><MsgId>" + msg_id +
           "</MsgId></xml>";
}

std::string voice_xml(std::string const& openid, std::string const& recognition, std::string const& msg_id) {
    return header(openid, "voice", kWxNow) +
           "<MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[" +
           recognition + "]]></Recognition><MsgId>" + msg_id + "</MsgId></xml>";
}

std::string event_xml(std::string const& openid, std::string const& event, std::string const& key,
                      std::int64_t create_time) {
    return header(openid, "event", create_time) + "<Event><![CDATA[" + event + "]]></Event><EventKey><![CDATA[" +
           key + "]]></EventKey></xml>";
}

Push plain_push(std::string body, std::int64_t ts, std::string const& path) {
    return {path + "?" + query(ts), std::move(body)};
}

Push safe_push_raw(std::string const& encrypt, std::int64_t ts) {
    auto const t = std::to_string(ts);
    auto const sig = wechat::msg_signature(kWxToken, t, kNonce, encrypt);
    return {"/wechat/oa?" + query(ts) + "&encrypt_type=aes&msg_signature=" + sig,
            "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[" + encrypt +
                "]]></Encrypt></xml>"};
}

Push safe_push(std::string const& body, wechat::MessageCrypto const& c, std::int64_t ts) {
    auto enc = c.encrypt(body);
    if (!enc) {
        throw std::runtime_error("encrypt failed");
    }
    return safe_push_raw(*enc, ts);
}

wechat::MessageCrypto test_crypto(std::string const& key, std::string const& appid) {
    auto c = wechat::MessageCrypto::from_encoding_aes_key(key, appid);
    if (!c) {
        throw std::runtime_error("bad test key");
    }
    return std::move(*c);
}

std::string raw_encrypt(wechat::MessageCrypto const& c, std::string const& plain) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    auto const& key = c.aes_key();
    std::string out(plain.size() + 32, '\0');
    int n = 0;
    int tail = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    bool const ok = ctx != nullptr && EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, key.data(), key.data()) == 1 &&
                    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
                    EVP_EncryptUpdate(ctx, o, &n, reinterpret_cast<unsigned char const*>(plain.data()),
                                      static_cast<int>(plain.size())) == 1 &&
                    EVP_EncryptFinal_ex(ctx, o + n, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) {
        throw std::runtime_error("raw_encrypt failed");
    }
    out.resize(static_cast<std::size_t>(n + tail));
    return wechat::base64_encode(out);
}

std::string cdata(std::string const& xml, std::string const& tag) {
    auto const open = "<" + tag + "><![CDATA[";
    auto const start = xml.find(open);
    if (start == std::string::npos) {
        return {};
    }
    auto const end = xml.find("]]></" + tag + ">", start);
    if (end == std::string::npos) {
        return {};
    }
    return xml.substr(start + open.size(), end - start - open.size());
}

std::string open_reply(std::string const& body, wechat::MessageCrypto const& c) {
    auto const encrypt = cdata(body, "Encrypt");
    auto const nonce = cdata(body, "Nonce");
    auto const ts_start = body.find("<TimeStamp>");
    auto const ts_end = body.find("</TimeStamp>");
    if (encrypt.empty() || ts_start == std::string::npos || ts_end == std::string::npos) {
        return {};
    }
    auto const ts = body.substr(ts_start + 11, ts_end - ts_start - 11);
    if (wechat::msg_signature(kWxToken, ts, nonce, encrypt) != cdata(body, "MsgSignature")) {
        return {};
    }
    auto plain = c.decrypt(encrypt);
    return plain ? plain->msg : std::string{};
}

}  // namespace bense::test

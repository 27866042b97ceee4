// Plays the WeChat side of a callback in tests: builds message XML, signs the query and, in
// safe mode, encrypts the body; opens encrypted replies. Fixed keys and a fixed instant.
#pragma once

#include "wechat/crypto.hpp"
#include "wechat/gateway_config.hpp"

#include <cstdint>
#include <string>

namespace bense::test {

inline constexpr char kWxToken[] = "bensetoken";
inline constexpr char kWxAesKey[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
inline constexpr char kWxPreviousAesKey[] = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj";
inline constexpr char kWxAppId[] = "wx0123456789abcdef";
inline constexpr std::int64_t kWxNow = 1714036504;

// The official account with the current and the previous key; the mini-program in JSON.
wechat::GatewayConfig test_gateway_config();

std::string text_xml(std::string const& openid, std::string const& content, std::string const& msg_id);
std::string voice_xml(std::string const& openid, std::string const& recognition, std::string const& msg_id);
std::string event_xml(std::string const& openid, std::string const& event, std::string const& key,
                      std::int64_t create_time = kWxNow);

struct Push {
    std::string target;
    std::string body;
};

// Plain mode: signature over token, timestamp and nonce.
Push plain_push(std::string body, std::int64_t ts = kWxNow, std::string const& path = "/wechat/oa");
// Safe mode: `body` encrypted with `c`, msg_signature over the Encrypt text.
Push safe_push(std::string const& body, wechat::MessageCrypto const& c, std::int64_t ts = kWxNow);
// Safe mode with a given Encrypt text (crafted or garbage), correctly signed.
Push safe_push_raw(std::string const& encrypt, std::int64_t ts = kWxNow);

wechat::MessageCrypto test_crypto(std::string const& key = kWxAesKey, std::string const& appid = kWxAppId);

// AES-256-CBC of `plain` (a multiple of 32 bytes, padding already in it) under c's key, as
// base64: the way to build ciphertexts with bad padding or lengths.
std::string raw_encrypt(wechat::MessageCrypto const& c, std::string const& plain);

// Checks an encrypted reply's MsgSignature and decrypts it with `c`; "" when either fails.
std::string open_reply(std::string const& body, wechat::MessageCrypto const& c);

// The text between <tag><![CDATA[ and ]]></tag>, or "".
std::string cdata(std::string const& xml, std::string const& tag);

}  // namespace bense::test

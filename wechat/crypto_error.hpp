// Error codes of the WeChat message protocol (signature, crypto, message parsing).
// The official values come from Tencent's WXBizMsgCrypt samples; the -401xx values are ours,
// added so that a failure names the exact check that failed (logs, `bense wx-decrypt`).
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <type_traits>

namespace bense::wechat {

// Parsing and crypto return values or an error; nothing on the data path throws. The same
// shape as bense::result, so code that sees both names means one type.
template <class T, class E = boost::system::error_code>
using result = boost::system::result<T, E>;

enum class crypto_errc {
    // Official codes (wechat-protocol.md 1.4).
    signature = -40001,        // msg_signature / signature mismatch
    xml_parse = -40002,        // not XML, DOCTYPE/ENTITY present, invalid UTF-8, truncated
    sha = -40003,              // SHA1 computation failed
    illegal_aes_key = -40004,  // EncodingAESKey not 43 chars of [A-Za-z0-9]; bad session_key
    appid = -40005,            // decrypted app id / receive id differs from ours
    encrypt = -40006,          // AES encryption failed, or bad input to encrypt (random size)
    decrypt = -40007,          // AES decryption failed inside OpenSSL
    illegal_buffer = -40008,   // plaintext shorter than 20 bytes or msg_len past the end
    base64_encode = -40009,
    base64_decode = -40010,  // not canonical-length base64 or a char outside the alphabet
    xml_generate = -40011,
    // Internal codes: finer than the official ones.
    padding = -40101,        // pad byte outside 1..32 (1..16 for mini-program data) or mixed
    length = -40102,         // ciphertext empty or not a multiple of the block size
    missing_field = -40103,  // ToUserName, FromUserName, MsgType (Event) absent or CreateTime bad
    json_parse = -40104,     // not JSON, root not an object, or nested too deep
};

// The category is named "wechat.crypto"; messages are English and name the check.
boost::system::error_category const& crypto_category() noexcept;

boost::system::error_code make_error_code(crypto_errc e) noexcept;

}  // namespace bense::wechat

template <>
struct boost::system::is_error_code_enum<bense::wechat::crypto_errc> : std::true_type {};

// WeChat callback signatures: SHA1 over bytewise-sorted strings (wechat-protocol.md 1.2, 1.3)
// and a constant-time compare for checking them. Pure: no clock, no config, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bense::wechat {

// Lowercase hex SHA1 of the concatenation of `parts` after sorting them bytewise ascending
// (unsigned byte order, no locale). Returns an empty string only if OpenSSL's SHA1 fails,
// which can never compare equal to a 40-char signature, so a caller fails closed.
std::string sorted_sha1(std::vector<std::string_view> parts);

// `signature` of URL verification (GET) and of plain-mode pushes: sort(token, timestamp, nonce).
std::string url_signature(std::string_view token, std::string_view timestamp, std::string_view nonce);

// `msg_signature` of encrypted pushes and of encrypted replies:
// sort(token, timestamp, nonce, encrypt), where `encrypt` is the exact base64 text of the body.
std::string msg_signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                          std::string_view encrypt);

// Compares without leaking the position of the first difference (CRYPTO_memcmp). The length
// is not secret (signatures are always 40 hex chars) and is checked first.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace bense::wechat

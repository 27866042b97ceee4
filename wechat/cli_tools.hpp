// Operator commands for WeChat callbacks (`bense wx-sign`, `wx-decrypt`, `wx-encrypt`), as pure
// functions over streams; server/main.cpp wires them to CLI11. No clock, no files, no network.
// Exit codes: 0 success, 1 a check failed (the message names it), 2 unusable arguments.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace bense::wechat {

struct WxSignArgs {
    std::string token;
    std::string timestamp;
    std::string nonce;
    std::optional<std::string> encrypt;  // given: msg_signature over it; absent: url signature
};

// Prints the signature and a newline to `out`.
int wx_sign(WxSignArgs const& args, std::ostream& out, std::ostream& err);

struct WxDecryptArgs {
    std::string aes_key;  // EncodingAESKey, 43 chars
    std::string appid;    // expected trailer (appid, or CorpID for WeCom)
    // The signature is checked only when all four are given; some but not all is exit 2.
    std::optional<std::string> token;
    std::optional<std::string> timestamp;
    std::optional<std::string> nonce;
    std::optional<std::string> msg_signature;
};

// Reads from `in` an XML envelope, a JSON envelope or a bare Encrypt string (surrounding
// whitespace trimmed), checks msg_signature if asked, decrypts and prints the plaintext
// message and a newline. On failure prints "wx-decrypt: <check> ..." to `err` and returns 1.
int wx_decrypt(WxDecryptArgs const& args, std::istream& in, std::ostream& out, std::ostream& err);

struct WxEncryptArgs {
    std::string aes_key;
    std::string appid;
    std::string token;
    std::string timestamp;              // required; main.cpp defaults it to now
    std::string nonce;                  // required
    std::optional<std::string> random;  // exactly 16 chars, used as the random bytes
};

// Reads the plaintext message from `in` (one trailing "\n" or "\r\n" removed, as `echo`
// adds one), encrypts it and prints the encrypted reply XML with MsgSignature and a newline.
int wx_encrypt(WxEncryptArgs const& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace bense::wechat

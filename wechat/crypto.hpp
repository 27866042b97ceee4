// WeChat message encryption (safe/compatible mode, wechat-protocol.md 1.4/1.5): AES-256-CBC
// with manual PKCS#7 over 32-byte blocks, plus base64 helpers and mini-program user-data
// decryption. Pure: no I/O; randomness only in the encrypt overload that says so.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "wechat/crypto_error.hpp"

namespace bense::wechat {

// Standard base64 (RFC 4648 alphabet, '=' padding, no line breaks).
std::string base64_encode(std::string_view bytes);

// Strict decode: length a multiple of 4, only [A-Za-z0-9+/], at most two '=' and only at the
// end; no whitespace. Returns base64_decode otherwise. Like most decoders it does not
// check the spare bits of the last char (EncodingAESKey needs that leniency anyway).
result<std::string> base64_decode(std::string_view text);

// FullStr = random(16) || msg_len (uint32, big-endian) || msg || appid, after decryption.
struct DecryptedMessage {
    std::string msg;
    std::string appid;   // the trailer: appid (OA/MP), component appid, or WeCom receive id
    std::string random;  // 16 bytes
};

class MessageCrypto {
public:
    static constexpr std::size_t kRandomSize = 16;

    // `key43` is the EncodingAESKey from the admin console: exactly 43 chars of [A-Za-z0-9],
    // else illegal_aes_key. Decoded leniently (the 43rd char's spare bits are usually set):
    // key43 + "=" through EVP_DecodeBlock, first 32 bytes. IV = key[0..16).
    // `appid` is the trailer expected on decrypt and written on encrypt.
    static result<MessageCrypto> from_encoding_aes_key(std::string_view key43, std::string appid);

    // Decrypts the base64 `Encrypt` text. Checks, in order, each with its own error:
    // base64 (base64_decode), size >= 32 and % 32 == 0 (length), AES (decrypt), last byte
    // 1..32 and all pad bytes equal (padding), >= 20 bytes left and 20 + msg_len within them
    // (illegal_buffer), trailer == appid byte for byte (appid).
    result<DecryptedMessage> decrypt(std::string_view encrypt_b64) const;

    // Encrypts `msg` with the given 16 random bytes (else encrypt); returns base64 text.
    // Deterministic: for tests, vectors and `bense wx-encrypt --random`.
    result<std::string> encrypt(std::string_view msg, std::string_view random16) const;

    // As above with 16 bytes from RAND_bytes (a CSPRNG); encrypt if it fails.
    result<std::string> encrypt(std::string_view msg) const;

    std::string const& appid() const { return appid_; }
    std::array<unsigned char, 32> const& aes_key() const { return key_; }

private:
    MessageCrypto(std::array<unsigned char, 32> key, std::string appid) : key_(key), appid_(std::move(appid)) {}

    std::array<unsigned char, 32> key_;
    std::string appid_;
};

// Result of KeyRing::decrypt: the message and which key opened it (0 current, 1 previous).
struct KeyRingDecryption {
    DecryptedMessage message;
    std::size_t key_index = 0;
};

// The current EncodingAESKey and, during a key change, the previous one (protocol 1.1):
// decrypt with the current key, fall back to the previous, and reply with the one that worked.
class KeyRing {
public:
    explicit KeyRing(MessageCrypto current, std::optional<MessageCrypto> previous = std::nullopt)
        : current_(std::move(current)), previous_(std::move(previous)) {}

    // Tries the current key, then the previous one. When both fail the current key's error is
    // returned: it is the one an operator has configured and expects to work.
    result<KeyRingDecryption> decrypt(std::string_view encrypt_b64) const;

    // Key 0 is the current one, 1 the previous; an index without a key gives the current one.
    MessageCrypto const& key(std::size_t index) const;

    bool has_previous() const { return previous_.has_value(); }

private:
    MessageCrypto current_;
    std::optional<MessageCrypto> previous_;
};

// Mini-program encryptedData (wx.getUserInfo, getPhoneNumber...): AES-128-CBC with
// key = base64(session_key) (16 bytes, else illegal_aes_key), IV = base64(iv) (16 bytes, else
// illegal_buffer), PKCS#7 over 16-byte blocks. Errors as in decrypt (base64_decode, length,
// padding). Returns the plaintext JSON; checking watermark.appid is the caller's job.
result<std::string> decrypt_mp_user_data(std::string_view session_key_b64, std::string_view iv_b64,
                                         std::string_view encrypted_b64);

}  // namespace bense::wechat

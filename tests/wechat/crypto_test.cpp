// Unit tests for wechat/crypto: every decrypt/encrypt vector in wechat-vectors.json, the
// padding edges (pad 30, pad 32), and negatives built by encrypting hand-made plaintexts
// with raw AES (OpenSSL padding off), so each strict check is reached on purpose.
#include "wechat/crypto.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "wechat/message.hpp"
#include "support/vectors.hpp"

using namespace bense::wechat;

using bense::test::num;
using bense::test::str;
using bense::test::vector_by_id;
using bense::test::vectors;

namespace {

MessageCrypto make_crypto(std::string const& key, std::string const& appid) {
    auto crypto = MessageCrypto::from_encoding_aes_key(key, appid);
    REQUIRE(crypto.has_value());
    return *crypto;
}

constexpr char kKey[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr char kAppId[] = "wxb11529c136998cb6";
constexpr char kRandom[] = "aaaabbbbccccdddd";

// Raw AES-CBC with padding off: the test's own path to build and inspect ciphertexts.
std::string raw_aes(bool encrypting, EVP_CIPHER const* cipher, unsigned char const* key, unsigned char const* iv,
                    std::string const& in) {
    REQUIRE(in.size() % 16 == 0);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    REQUIRE(ctx != nullptr);
    REQUIRE(EVP_CipherInit_ex(ctx, cipher, nullptr, key, iv, encrypting ? 1 : 0) == 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    std::string out(in.size() + 16, '\0');
    int n = 0;
    int tail = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    bool const ok = EVP_CipherUpdate(ctx, o, &n, reinterpret_cast<unsigned char const*>(in.data()),
                                     static_cast<int>(in.size())) == 1 &&
                    EVP_CipherFinal_ex(ctx, o + n, &tail) == 1;
    EVP_CIPHER_CTX_free(ctx);
    REQUIRE(ok);
    out.resize(static_cast<std::size_t>(n + tail));
    return out;
}

// Decrypts base64 ciphertext without touching the padding, to look at the pad bytes.
std::string raw_decrypt(MessageCrypto const& c, std::string const& b64) {
    auto bytes = base64_decode(b64);
    REQUIRE(bytes.has_value());
    return raw_aes(false, EVP_aes_256_cbc(), c.aes_key().data(), c.aes_key().data(), *bytes);
}

// Encrypts `plain` (already a multiple of 32, padding included) and returns base64.
std::string raw_encrypt(MessageCrypto const& c, std::string const& plain) {
    return base64_encode(raw_aes(true, EVP_aes_256_cbc(), c.aes_key().data(), c.aes_key().data(), plain));
}

std::string be32(std::uint32_t n) {
    return {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n)};
}

int last_pad(std::string const& plain) { return static_cast<unsigned char>(plain.back()); }

}  // namespace

//------------------------------------------------------------------------------------------
// Keys

TEST_CASE("crypto: EncodingAESKey decoding", "[wechat][crypto]") {
    auto const zero = make_crypto(std::string(43, 'A'), "wx");
    for (auto byte : zero.aes_key()) {
        CHECK(byte == 0);
    }
    // Keys whose 43rd char has non-zero spare bits must still load (lenient decoding).
    CHECK(MessageCrypto::from_encoding_aes_key(kKey, kAppId).has_value());
    CHECK(MessageCrypto::from_encoding_aes_key("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "x").has_value());
    auto const sample = make_crypto(kKey, kAppId);
    CHECK(sample.aes_key()[0] == 0x69);  // "abcd" -> 69 b7 1d
    CHECK(sample.aes_key()[1] == 0xB7);
    CHECK(sample.appid() == kAppId);

    std::string const good = kKey;
    for (std::string const& bad :
         {good.substr(0, 42), good + "H", good.substr(0, 42) + "+", good.substr(0, 42) + "/", good.substr(0, 42) + "=",
          "+" + good.substr(1), std::string(), good.substr(0, 41) + "\xC3\xA9", good.substr(0, 42) + " "}) {
        INFO(bad);
        auto const crypto = MessageCrypto::from_encoding_aes_key(bad, kAppId);
        REQUIRE_FALSE(crypto.has_value());
        CHECK(crypto.error() == crypto_errc::illegal_aes_key);
    }
}

//------------------------------------------------------------------------------------------
// Public vectors

TEST_CASE("crypto: official safe-mode JSON vector, decrypt and reply", "[wechat][crypto]") {
    auto const& v = vector_by_id("official-doc-safe-mode-json");
    auto const& expected = v["expected"];
    auto const crypto = make_crypto(str(v["input"], "encoding_aes_key"), str(v["input"], "appid"));
    std::string hex;
    for (auto byte : crypto.aes_key()) {
        hex += "0123456789abcdef"[byte >> 4];
        hex += "0123456789abcdef"[byte & 15];
    }
    CHECK(hex == str(expected, "aes_key_hex"));

    auto const encrypt = str(v["input"]["body_json"], "Encrypt");
    CHECK(base64_decode(encrypt)->size() == static_cast<std::size_t>(num(expected, "ciphertext_len")));
    auto const plain = raw_decrypt(crypto, encrypt);
    CHECK(last_pad(plain) == num(expected, "pad"));
    CHECK(plain.size() - num(expected, "pad") == static_cast<std::size_t>(num(expected, "plaintext_len_after_unpad")));

    auto const decrypted = crypto.decrypt(encrypt);
    REQUIRE(decrypted.has_value());
    CHECK(decrypted->random == str(expected, "random"));
    CHECK(decrypted->msg.size() == static_cast<std::size_t>(num(expected, "msg_len")));
    CHECK(decrypted->msg == str(expected, "msg"));
    CHECK(decrypted->appid == str(expected, "appid"));

    auto const& reply = v["reply"];
    auto const encrypted = crypto.encrypt(str(reply, "plaintext"), str(reply, "random"));
    REQUIRE(encrypted.has_value());
    CHECK(*encrypted == str(reply, "encrypt"));
    auto const reply_plain = raw_decrypt(crypto, *encrypted);
    CHECK(reply_plain.size() == static_cast<std::size_t>(num(reply, "ciphertext_len")));
    CHECK(last_pad(reply_plain) == num(reply, "pad"));
    CHECK(reply_plain.size() - num(reply, "pad") == static_cast<std::size_t>(num(reply, "fullstr_len")));
}

TEST_CASE("crypto: official Java sample, fixed random, CJK", "[wechat][crypto]") {
    auto const& v = vector_by_id("official-java-sample-encrypt-fixed-random");
    auto const crypto = make_crypto(str(v["input"], "encoding_aes_key"), str(v["input"], "appid"));
    auto const random = str(v["input"], "random");
    for (auto const& c : v["cases"].GetArray()) {
        auto const plaintext = str(c, "plaintext");
        INFO(plaintext);
        if (c.HasMember("msg_len_bytes")) {
            CHECK(plaintext.size() == static_cast<std::size_t>(num(c, "msg_len_bytes")));
        }
        auto const encrypted = crypto.encrypt(plaintext, random);
        REQUIRE(encrypted.has_value());
        CHECK(*encrypted == str(c, "expected_encrypt"));
        CHECK(last_pad(raw_decrypt(crypto, *encrypted)) == num(c, "pad"));
        auto const decrypted = crypto.decrypt(str(c, "expected_encrypt"));
        REQUIRE(decrypted.has_value());
        CHECK(decrypted->msg == plaintext);
        CHECK(decrypted->random == random);
    }
}

TEST_CASE("crypto: official Python sample, compatible-mode body", "[wechat][crypto]") {
    auto const& v = vector_by_id("official-python-sample-decrypt-compat-mode");
    auto const& in = v["input"];
    auto const envelope = parse_envelope_xml(str(in, "post_body"));
    REQUIRE(envelope.has_value());
    CHECK(envelope->to_user == "gh_10f6c3c3ac5a");
    auto const crypto = make_crypto(str(in, "encoding_aes_key"), str(in, "appid"));
    CHECK(last_pad(raw_decrypt(crypto, envelope->encrypt)) == num(v["expected"], "pad"));
    auto const decrypted = crypto.decrypt(envelope->encrypt);
    REQUIRE(decrypted.has_value());
    CHECK(decrypted->random == str(v["expected"], "random"));
    CHECK(decrypted->appid == str(v["expected"], "appid"));
    CHECK(decrypted->msg == str(v["expected"], "msg"));
}

TEST_CASE("crypto: EasyWeChat vector and its wrong-appid negative", "[wechat][crypto]") {
    auto const& v = vector_by_id("easywechat-decrypt");
    auto const& in = v["input"];
    auto const crypto = make_crypto(str(in, "encoding_aes_key"), str(in, "appid"));
    CHECK(last_pad(raw_decrypt(crypto, str(in, "encrypt"))) == num(v["expected"], "pad"));
    auto const decrypted = crypto.decrypt(str(in, "encrypt"));
    REQUIRE(decrypted.has_value());
    CHECK(decrypted->random == str(v["expected"], "random"));
    CHECK(decrypted->appid == str(v["expected"], "appid"));
    CHECK(decrypted->msg == str(v["expected"], "msg"));

    auto const other = make_crypto(str(in, "encoding_aes_key"), str(v["negative"][1], "appid"));
    auto const rejected = other.decrypt(str(in, "encrypt"));
    REQUIRE_FALSE(rejected.has_value());
    CHECK(rejected.error() == crypto_errc::appid);
}

TEST_CASE("crypto: wechatpy WeCom vectors, receive id as appid", "[wechat][crypto]") {
    auto const& v = vector_by_id("wechatpy-work-crypto");
    auto const crypto = make_crypto(str(v["input"], "encoding_aes_key"), str(v["input"], "receive_id"));
    auto const& echo = v["cases"][0];
    auto const echostr = crypto.decrypt(str(echo, "echostr"));
    REQUIRE(echostr.has_value());
    CHECK(echostr->msg == str(echo, "expected_decrypted_echostr"));

    auto const& enc = v["cases"][1];
    auto const encrypted = crypto.encrypt(str(enc, "plaintext"), str(enc, "random"));
    REQUIRE(encrypted.has_value());
    CHECK(*encrypted == str(enc, "expected_encrypt"));
    CHECK(last_pad(raw_decrypt(crypto, *encrypted)) == num(enc, "pad"));

    auto const& dec = v["cases"][2];
    CHECK(last_pad(raw_decrypt(crypto, str(dec, "encrypt"))) == num(dec, "expected_pad"));
    auto const decrypted = crypto.decrypt(str(dec, "encrypt"));
    REQUIRE(decrypted.has_value());
    CHECK(decrypted->msg == str(dec, "expected_msg"));
    CHECK(decrypted->appid == "wx49f0ab532d5d035a");
}

TEST_CASE("crypto: mini-program encryptedData (AES-128, PKCS#7-16)", "[wechat][crypto]") {
    auto const& v = vector_by_id("miniprogram-decryptData-official");
    auto const& in = v["input"];
    auto const& expected = v["expected"];
    auto const plain = decrypt_mp_user_data(str(in, "session_key"), str(in, "iv"), str(in, "encrypted_data"));
    REQUIRE(plain.has_value());
    rapidjson::Document doc;
    doc.Parse(plain->c_str());
    REQUIRE(doc.IsObject());
    CHECK(str(doc, "openId") == str(expected, "openId"));
    CHECK(str(doc, "unionId") == str(expected, "unionId"));
    CHECK(str(doc["watermark"], "appid") == str(expected, "watermark_appid"));
    CHECK(str(doc["watermark"], "appid") == str(in, "appid"));
    CHECK(doc["watermark"]["timestamp"].GetInt64() == expected["watermark_timestamp"].GetInt64());
    auto const key = base64_decode(str(in, "session_key"));
    auto const iv = base64_decode(str(in, "iv"));
    auto const raw =
        raw_aes(false, EVP_aes_128_cbc(), reinterpret_cast<unsigned char const*>(key->data()),
                reinterpret_cast<unsigned char const*>(iv->data()), *base64_decode(str(in, "encrypted_data")));
    CHECK(last_pad(raw) == num(expected, "pad"));

    SECTION("negatives") {
        auto const short_key = decrypt_mp_user_data("AAAA", str(in, "iv"), str(in, "encrypted_data"));
        CHECK(short_key.error() == crypto_errc::illegal_aes_key);
        auto const bad_iv = decrypt_mp_user_data(str(in, "session_key"), "AAAA", str(in, "encrypted_data"));
        CHECK(bad_iv.error() == crypto_errc::illegal_buffer);
        auto const truncated = str(in, "encrypted_data").substr(0, 20);
        CHECK(decrypt_mp_user_data(str(in, "session_key"), str(in, "iv"), truncated).error() == crypto_errc::length);
        CHECK(decrypt_mp_user_data(str(in, "session_key"), str(in, "iv"), "").error() == crypto_errc::length);
        CHECK(decrypt_mp_user_data(str(in, "session_key"), str(in, "iv"), "a b=").error() ==
              crypto_errc::base64_decode);
        std::string const pad17 = std::string(15, 'x') + std::string(17, '\x11');
        auto const cipher = raw_aes(true, EVP_aes_128_cbc(), reinterpret_cast<unsigned char const*>(key->data()),
                                    reinterpret_cast<unsigned char const*>(iv->data()), pad17);
        CHECK(decrypt_mp_user_data(str(in, "session_key"), str(in, "iv"), base64_encode(cipher)).error() ==
              crypto_errc::padding);
    }
}

TEST_CASE("crypto: every public vector has a test", "[wechat][crypto]") {
    std::set<std::string> ids;
    for (auto const& v : vectors()["vectors"].GetArray()) {
        ids.insert(v["id"].GetString());
    }
    // Signature-only vectors are covered in signature_test.cpp, the rest here.
    std::set<std::string> const covered{
        "sig-plain-wechatpy",
        "sig-sort-wechatpy-signer",
        "sig-sort-silenceper",
        "official-doc-url-verify",
        "official-doc-plain-post",
        "official-doc-safe-mode-json",
        "official-java-sample-encrypt-fixed-random",
        "official-python-sample-decrypt-compat-mode",
        "easywechat-decrypt",
        "wechatpy-work-crypto",
        "miniprogram-decryptData-official",
    };
    CHECK(ids == covered);
}

//------------------------------------------------------------------------------------------
// Padding edges and round trips

TEST_CASE("crypto: pad 30 and pad 32 (a whole extra block)", "[wechat][crypto]") {
    auto const crypto = make_crypto(kKey, kAppId);
    // FullStr = 16 + 4 + n + 18 bytes; n = 26 makes it 64 (pad 32), n = 28 makes it 66 (pad 30).
    for (auto const& [msg_len, pad] :
         {std::pair{26, 32}, std::pair{28, 30}, std::pair{25, 1}, std::pair{10, 16}, std::pair{9, 17}}) {
        std::string const msg(static_cast<std::size_t>(msg_len), 'm');
        INFO("msg_len " << msg_len);
        auto const encrypted = crypto.encrypt(msg, kRandom);
        REQUIRE(encrypted.has_value());
        auto const plain = raw_decrypt(crypto, *encrypted);
        CHECK(plain.size() % 32 == 0);
        CHECK(last_pad(plain) == pad);
        CHECK(plain.substr(plain.size() - pad) == std::string(static_cast<std::size_t>(pad), static_cast<char>(pad)));
        auto const decrypted = crypto.decrypt(*encrypted);
        REQUIRE(decrypted.has_value());
        CHECK(decrypted->msg == msg);
    }
}

TEST_CASE("crypto: round trips", "[wechat][crypto]") {
    auto const crypto = make_crypto(kKey, kAppId);
    for (std::string const& msg : {std::string(), std::string("我是中文abcd123 ]]> <xml>"), std::string(1000, 'x'),
                                   std::string("\0\xff binary", 9)}) {
        auto const encrypted = crypto.encrypt(msg, kRandom);
        REQUIRE(encrypted.has_value());
        auto const decrypted = crypto.decrypt(*encrypted);
        REQUIRE(decrypted.has_value());
        CHECK(decrypted->msg == msg);
        CHECK(decrypted->appid == kAppId);
        CHECK(decrypted->random == kRandom);
    }
    // With RAND_bytes: two encryptions differ, both open.
    auto const first = crypto.encrypt("同一条消息");
    auto const second = crypto.encrypt("同一条消息");
    REQUIRE(first.has_value());
    REQUIRE(second.has_value());
    CHECK(*first != *second);
    CHECK(crypto.decrypt(*first)->msg == "同一条消息");
    CHECK(crypto.decrypt(*second)->random.size() == 16);

    CHECK(crypto.encrypt("x", "short").error() == crypto_errc::encrypt);
    CHECK(crypto.encrypt("x", "seventeen bytes!!").error() == crypto_errc::encrypt);
}

//------------------------------------------------------------------------------------------
// Negatives, each reaching one check

TEST_CASE("crypto: hand-built plaintexts fail the right check", "[wechat][crypto]") {
    auto const crypto = make_crypto(kKey, kAppId);
    auto const body = [](std::string const& msg, std::string const& appid) {
        return std::string(kRandom) + be32(static_cast<std::uint32_t>(msg.size())) + msg + appid;
    };
    // Pads `plain` to a multiple of 32 with `fill`, then sets the last byte to `last`.
    auto const pad_with = [](std::string plain, char fill, char last) {
        plain.append(32 - plain.size() % 32, fill);
        plain.back() = last;
        return plain;
    };
    auto const error_of = [&crypto](std::string const& plain) {
        auto const r = crypto.decrypt(raw_encrypt(crypto, plain));
        REQUIRE_FALSE(r.has_value());
        return r.error();
    };
    auto const hello = body("hello", kAppId);  // 43 bytes: a correct pad is 21

    SECTION("the hand-built path itself works with a correct pad") {
        auto const ok = crypto.decrypt(raw_encrypt(crypto, pad_with(hello, 21, 21)));
        REQUIRE(ok.has_value());
        CHECK(ok->msg == "hello");
    }
    SECTION("pad 0") { CHECK(error_of(pad_with(hello, 0, 0)) == crypto_errc::padding); }
    SECTION("pad 33") { CHECK(error_of(pad_with(hello + std::string(32, 'p'), 33, 33)) == crypto_errc::padding); }
    SECTION("pad 255") { CHECK(error_of(pad_with(hello, 21, '\xff')) == crypto_errc::padding); }
    SECTION("mixed pad bytes") {
        auto plain = pad_with(hello, 21, 21);
        plain[plain.size() - 2] = 20;
        CHECK(error_of(plain) == crypto_errc::padding);
        plain = pad_with(hello, 21, 21);
        plain[plain.size() - 21] = 0;  // the first pad byte
        CHECK(error_of(plain) == crypto_errc::padding);
    }
    SECTION("pad 32 over a 32-byte plaintext leaves nothing") {
        CHECK(error_of(std::string(32, ' ')) == crypto_errc::illegal_buffer);
    }
    SECTION("fewer than 20 bytes after the pad") {
        CHECK(error_of(std::string(13, 'r') + std::string(19, '\x13')) == crypto_errc::illegal_buffer);
    }
    SECTION("msg_len past the end") {
        auto plain = std::string(kRandom) + be32(100) + "hello" + kAppId;
        CHECK(error_of(pad_with(plain, 21, 21)) == crypto_errc::illegal_buffer);
        plain = std::string(kRandom) + be32(0xFFFFFFFFu) + "hello" + kAppId;
        CHECK(error_of(pad_with(plain, 21, 21)) == crypto_errc::illegal_buffer);
        plain = std::string(kRandom) + be32(24) + "hello" + kAppId;  // one byte too many
        CHECK(error_of(pad_with(plain, 21, 21)) == crypto_errc::illegal_buffer);
    }
    SECTION("msg_len read big-endian: a little-endian length is rejected") {
        auto plain = std::string(kRandom) + std::string("\x05\0\0\0", 4) + "hello" + kAppId;
        CHECK(error_of(pad_with(plain, 21, 21)) == crypto_errc::illegal_buffer);
    }
    SECTION("wrong app id") {
        CHECK(error_of(pad_with(body("hello", "wx0000000000000000"), 21, 21)) == crypto_errc::appid);
        CHECK(error_of(pad_with(body("hello", std::string(kAppId) + "x"), 20, 20)) == crypto_errc::appid);
        CHECK(error_of(pad_with(body("hello", ""), 7, 7)) == crypto_errc::appid);
        auto plain = std::string(kRandom) + be32(4) + "hello" + kAppId;  // 'o' joins the trailer
        CHECK(error_of(pad_with(plain, 21, 21)) == crypto_errc::appid);
    }
}

TEST_CASE("crypto: ciphertext length and base64 checks", "[wechat][crypto]") {
    auto const crypto = make_crypto(kKey, kAppId);
    auto const good = *crypto.encrypt("hello world, a message of a few blocks", kRandom);
    auto const bytes = *base64_decode(good);
    REQUIRE(bytes.size() == 96);
    auto const error_of = [&crypto](std::string const& b64) {
        auto const r = crypto.decrypt(b64);
        REQUIRE_FALSE(r.has_value());
        return r.error();
    };
    CHECK(error_of("") == crypto_errc::length);
    CHECK(error_of(base64_encode(bytes.substr(0, 80))) == crypto_errc::length);  // truncated by 16
    CHECK(error_of(base64_encode(bytes.substr(0, 16))) == crypto_errc::length);
    CHECK(error_of(base64_encode(bytes + "x")) == crypto_errc::length);
    CHECK(error_of(good.substr(0, good.size() - 4)) == crypto_errc::length);  // 3 bytes short
    CHECK(error_of(good.substr(0, good.size() - 1)) == crypto_errc::base64_decode);
    CHECK(error_of(good + "\n") == crypto_errc::base64_decode);
    CHECK(error_of(" " + good) == crypto_errc::base64_decode);
    CHECK(error_of(good.substr(0, 40) + "\n" + good.substr(40)) == crypto_errc::base64_decode);
    CHECK(error_of("not base64 at all!!!") == crypto_errc::base64_decode);
    CHECK(error_of(std::string(good.size() - 4, 'A') + "A$==") == crypto_errc::base64_decode);
    CHECK(error_of(good.substr(0, 20) + "-_" + good.substr(22)) == crypto_errc::base64_decode);  // base64url
}

TEST_CASE("crypto: base64 helpers", "[wechat][crypto]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("a") == "YQ==");
    CHECK(base64_encode("ab") == "YWI=");
    CHECK(base64_encode("abc") == "YWJj");
    CHECK(base64_encode(std::string("\0\xff\xfe", 3)) == "AP/+");
    CHECK(*base64_decode("") == "");
    CHECK(*base64_decode("YQ==") == "a");
    CHECK(*base64_decode("YWI=") == "ab");
    CHECK(*base64_decode("YWJj") == "abc");
    CHECK(*base64_decode("AP/+") == std::string("\0\xff\xfe", 3));
    CHECK(*base64_decode("YWJjZA==") == "abcd");
    for (char const* bad :
         {"YQ=", "YQ", "Y===", "====", "YQ==YQ==", "Y=Q=", "YQ=a", "YW J", "YWJj\n", "YW\x80j", "YWJ-", "YWJ_"}) {
        INFO(bad);
        auto const r = base64_decode(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == crypto_errc::base64_decode);
    }
    std::string all;
    for (int i = 0; i < 256; ++i) {
        all += static_cast<char>(i);
    }
    CHECK(*base64_decode(base64_encode(all)) == all);
}

TEST_CASE("crypto: base64 agrees with OpenSSL's at every length", "[wechat][crypto]") {
    std::string bytes;
    for (std::size_t n = 0; n <= 100; ++n) {
        INFO(n);
        std::string expected(4 * ((n + 2) / 3) + 1, '\0');
        auto const written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(expected.data()),
                                             reinterpret_cast<unsigned char const*>(bytes.data()), static_cast<int>(n));
        expected.resize(static_cast<std::size_t>(written));
        auto const encoded = base64_encode(bytes);
        CHECK(encoded == expected);
        auto const decoded = base64_decode(encoded);
        REQUIRE(decoded.has_value());
        CHECK(*decoded == bytes);
        bytes += static_cast<char>((n * 97 + 31) % 256);  // a spread of byte values, high ones too
    }
}

//------------------------------------------------------------------------------------------
// KeyRing

TEST_CASE("crypto: KeyRing falls back to the previous key", "[wechat][crypto]") {
    auto const current = make_crypto("kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", kAppId);
    auto const previous = make_crypto(kKey, kAppId);
    auto const stranger = make_crypto(std::string(43, 'B'), kAppId);
    KeyRing const ring(current, previous);
    REQUIRE(ring.has_previous());

    auto const with_current = ring.decrypt(*current.encrypt("new", kRandom));
    REQUIRE(with_current.has_value());
    CHECK(with_current->key_index == 0);
    CHECK(with_current->message.msg == "new");

    auto const with_previous = ring.decrypt(*previous.encrypt("old", kRandom));
    REQUIRE(with_previous.has_value());
    CHECK(with_previous->key_index == 1);
    CHECK(with_previous->message.msg == "old");
    // The reply goes out under the key that worked.
    CHECK(ring.key(with_previous->key_index).aes_key() == previous.aes_key());
    CHECK(ring.key(0).aes_key() == current.aes_key());

    auto const neither = ring.decrypt(*stranger.encrypt("?", kRandom));
    REQUIRE_FALSE(neither.has_value());
    CHECK(neither.error() == current.decrypt(*stranger.encrypt("?", kRandom)).error());
    CHECK(ring.decrypt("%%%%").error() == crypto_errc::base64_decode);

    KeyRing const single(current);
    CHECK_FALSE(single.has_previous());
    CHECK(single.key(1).aes_key() == current.aes_key());
    CHECK_FALSE(single.decrypt(*previous.encrypt("old", kRandom)).has_value());
}

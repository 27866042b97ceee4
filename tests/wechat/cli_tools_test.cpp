// Unit tests for wechat/cli_tools: the wx-* commands on the public vectors, through string
// streams, including every failure message an operator relies on.
#include "wechat/cli_tools.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include "support/vectors.hpp"

using namespace bense::wechat;

using bense::test::str;
using bense::test::vector_by_id;

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run decrypt(WxDecryptArgs const& args, std::string const& input) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    int const code = wx_decrypt(args, in, out, err);
    return {code, out.str(), err.str()};
}

Run encrypt(WxEncryptArgs const& args, std::string const& input) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    int const code = wx_encrypt(args, in, out, err);
    return {code, out.str(), err.str()};
}

// The python sample: a compatible-mode XML body with everything needed to check it.
WxDecryptArgs python_args() {
    auto const& in = vector_by_id("official-python-sample-decrypt-compat-mode")["input"];
    return {str(in, "encoding_aes_key"), str(in, "appid"), str(in, "token"),
            str(in, "timestamp"),        str(in, "nonce"), str(in, "msg_signature")};
}

std::string python_body() {
    return str(vector_by_id("official-python-sample-decrypt-compat-mode")["input"], "post_body");
}

}  // namespace

TEST_CASE("cli: wx-sign prints url signature or msg_signature", "[wechat][cli]") {
    auto const& url = vector_by_id("official-doc-url-verify");
    std::ostringstream out;
    std::ostringstream err;
    CHECK(wx_sign({str(url["input"], "token"), str(url["input"], "timestamp"), str(url["input"], "nonce"), {}}, out,
                  err) == 0);
    CHECK(out.str() == str(url["expected"], "signature") + "\n");

    auto const& easy = vector_by_id("easywechat-decrypt")["input"];
    std::ostringstream out2;
    CHECK(wx_sign({str(easy, "token"), str(easy, "timestamp"), str(easy, "nonce"), str(easy, "encrypt")}, out2, err) ==
          0);
    CHECK(out2.str() == str(easy, "msg_signature") + "\n");
    CHECK(err.str().empty());
}

TEST_CASE("cli: wx-decrypt reads XML envelopes, JSON envelopes and bare Encrypt", "[wechat][cli]") {
    auto const expected = str(vector_by_id("official-python-sample-decrypt-compat-mode")["expected"], "msg") + "\n";
    auto const xml = decrypt(python_args(), python_body());
    CHECK(xml.code == 0);
    CHECK(xml.out == expected);
    CHECK(xml.err.empty());

    auto const& safe = vector_by_id("official-doc-safe-mode-json");
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    safe["input"]["body_json"].Accept(writer);
    WxDecryptArgs const safe_args{
        str(safe["input"], "encoding_aes_key"), str(safe["input"], "appid"), str(safe["input"], "token"),
        str(safe["input"], "timestamp"),        str(safe["input"], "nonce"), str(safe["expected"], "msg_signature")};
    auto const json = decrypt(safe_args, std::string("\n  ") + buffer.GetString() + "\n");
    CHECK(json.code == 0);
    CHECK(json.out == str(safe["expected"], "msg") + "\n");

    auto const& easy = vector_by_id("easywechat-decrypt")["input"];
    WxDecryptArgs const bare_args{str(easy, "encoding_aes_key"), str(easy, "appid"), {}, {}, {}, {}};
    auto const bare = decrypt(bare_args, "  " + str(easy, "encrypt") + "\r\n");
    CHECK(bare.code == 0);
    CHECK(bare.out == str(vector_by_id("easywechat-decrypt")["expected"], "msg") + "\n");
}

TEST_CASE("cli: wx-decrypt names the check that failed", "[wechat][cli]") {
    auto args = python_args();
    SECTION("signature") {
        args.msg_signature = "5d197aaffba7e9b25a30732f161a50dee96bd5fb";
        auto const r = decrypt(args, python_body());
        CHECK(r.code == 1);
        CHECK(r.out.empty());
        CHECK(r.err.find("signature") != std::string::npos);
    }
    SECTION("app id") {
        args.appid = "wx0000000000000000";
        auto const r = decrypt(args, python_body());
        CHECK(r.code == 1);
        CHECK(r.err.find("app id") != std::string::npos);
    }
    SECTION("base64") {
        args.msg_signature.reset();
        args.token.reset();
        args.timestamp.reset();
        args.nonce.reset();
        auto const r = decrypt(args, "this is not base64!");
        CHECK(r.code == 1);
        CHECK(r.err.find("base64") != std::string::npos);
    }
    SECTION("length") {
        args = {args.aes_key, args.appid, {}, {}, {}, {}};
        auto const r = decrypt(args, "AAAAAAAAAAAAAAAAAAAAAA==");  // 16 bytes
        CHECK(r.code == 1);
        CHECK(r.err.find("length") != std::string::npos);
    }
    SECTION("padding") {
        // 32 zero bytes under the 43-A key decrypt to a block whose last byte is not 1..32
        // with overwhelming likelihood; this one is fixed, so the outcome is too.
        WxDecryptArgs zero{std::string(43, 'A'), "wx", {}, {}, {}, {}};
        auto const r = decrypt(zero, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        CHECK(r.code == 1);
        CHECK(r.err.find("padding") != std::string::npos);
    }
    SECTION("AES key") {
        args.aes_key = "tooshort";
        auto const r = decrypt(args, python_body());
        CHECK(r.code == 1);
        CHECK(r.err.find("AES key") != std::string::npos);
    }
    SECTION("envelope without Encrypt") {
        auto const r = decrypt(args, "<xml><ToUserName>gh</ToUserName></xml>");
        CHECK(r.code == 1);
        CHECK(r.err.find("field") != std::string::npos);
    }
    SECTION("incomplete signature arguments are a usage error") {
        args.nonce.reset();
        auto const r = decrypt(args, python_body());
        CHECK(r.code == 2);
        CHECK(r.err.find("msg_signature") != std::string::npos);
    }
}

TEST_CASE("cli: wx-encrypt reproduces the official reply with a fixed random", "[wechat][cli]") {
    auto const& v = vector_by_id("official-doc-safe-mode-json");
    auto const& reply = v["reply"];
    WxEncryptArgs const args{str(v["input"], "encoding_aes_key"),
                             str(v["input"], "appid"),
                             str(v["input"], "token"),
                             str(reply, "timestamp"),
                             str(reply, "nonce"),
                             str(reply, "random")};
    auto const r = encrypt(args, str(reply, "plaintext") + "\n");
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "<xml><Encrypt><![CDATA[" + str(reply, "encrypt") + "]]></Encrypt><MsgSignature><![CDATA[" +
                       str(reply, "msg_signature") + "]]></MsgSignature><TimeStamp>" + str(reply, "timestamp") +
                       "</TimeStamp><Nonce><![CDATA[" + str(reply, "nonce") + "]]></Nonce></xml>\n");

    // And the output feeds wx-decrypt.
    WxDecryptArgs const back{args.aes_key,   args.appid, args.token,
                             args.timestamp, args.nonce, str(reply, "msg_signature")};
    auto const opened = decrypt(back, r.out);
    CHECK(opened.code == 0);
    CHECK(opened.out == str(reply, "plaintext") + "\n");
}

TEST_CASE("cli: wx-encrypt without --random, and its argument errors", "[wechat][cli]") {
    WxEncryptArgs args{
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6", "pamtest", "1409304348", "xxxxxx", {}};
    auto const first = encrypt(args, "我是中文abcd123");
    auto const second = encrypt(args, "我是中文abcd123");
    CHECK(first.code == 0);
    CHECK(second.code == 0);
    CHECK(first.out != second.out);  // fresh random bytes each time
    args.random = "aaaabbbbccccdddd";
    auto const fixed = encrypt(args, "我是中文abcd123\r\n");
    CHECK(fixed.out.find("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==") !=
          std::string::npos);

    args.random = "short";
    CHECK(encrypt(args, "x").code == 2);
    args.random.reset();
    args.timestamp.clear();
    CHECK(encrypt(args, "x").code == 2);
    args.timestamp = "1";
    args.aes_key = "abc";
    auto const bad_key = encrypt(args, "x");
    CHECK(bad_key.code == 1);
    CHECK(bad_key.err.find("AES key") != std::string::npos);
}

// Unit tests for wechat/signature: every signature in tests/fixtures/wechat-vectors.json,
// bytewise sort order, and the constant-time compare.
#include "wechat/signature.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>
#include "support/vectors.hpp"

using namespace bense::wechat;

using bense::test::str;
using bense::test::vector_by_id;

namespace {

// "a=1&b=2" -> {a: 1, b: 2}; the vectors' query strings need no percent-decoding.
std::map<std::string, std::string> parse_query(std::string const& query) {
    std::map<std::string, std::string> out;
    std::size_t start = 0;
    while (start <= query.size()) {
        auto const end = std::min(query.find('&', start), query.size());
        auto const pair = query.substr(start, end - start);
        auto const eq = pair.find('=');
        out[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
        start = end + 1;
    }
    return out;
}

}  // namespace

TEST_CASE("signature: url signature vectors", "[wechat][signature]") {
    for (char const* id : {"sig-plain-wechatpy", "official-doc-url-verify", "official-doc-plain-post"}) {
        INFO(id);
        auto const& v = vector_by_id(id);
        auto const signature =
            url_signature(str(v["input"], "token"), str(v["input"], "timestamp"), str(v["input"], "nonce"));
        CHECK(signature == str(v["expected"], "signature"));
    }
}

TEST_CASE("signature: wechatpy negative signature is rejected", "[wechat][signature]") {
    auto const& v = vector_by_id("sig-plain-wechatpy");
    auto const signature =
        url_signature(str(v["input"], "token"), str(v["input"], "timestamp"), str(v["input"], "nonce"));
    CHECK(constant_time_equal(signature, str(v["expected"], "signature")));
    CHECK_FALSE(constant_time_equal(signature, str(v["negative"], "signature")));
}

TEST_CASE("signature: sorted_sha1 vectors", "[wechat][signature]") {
    for (char const* id : {"sig-sort-wechatpy-signer", "sig-sort-silenceper"}) {
        INFO(id);
        auto const& v = vector_by_id(id);
        std::vector<std::string> parts;
        for (auto const& part : v["input"]["parts"].GetArray()) {
            parts.emplace_back(part.GetString());
        }
        CHECK(sorted_sha1({parts.begin(), parts.end()}) == str(v["expected"], "sha1"));
    }
}

TEST_CASE("signature: official URL verification sorts bytewise", "[wechat][signature]") {
    auto const& v = vector_by_id("official-doc-url-verify");
    std::vector<std::string> parts{str(v["input"], "token"), str(v["input"], "timestamp"), str(v["input"], "nonce")};
    std::sort(parts.begin(), parts.end());
    std::vector<std::string> expected;
    for (auto const& s : v["expected"]["sorted"].GetArray()) {
        expected.emplace_back(s.GetString());
    }
    CHECK(parts == expected);
    CHECK(sorted_sha1({str(v["expected"], "concatenated")}) == str(v["expected"], "signature"));
}

TEST_CASE("signature: safe-mode push, query signature and msg_signature", "[wechat][signature]") {
    auto const& v = vector_by_id("official-doc-safe-mode-json");
    auto const& in = v["input"];
    auto query = parse_query(str(in, "url_query"));
    CHECK(query["timestamp"] == str(in, "timestamp"));
    CHECK(query["nonce"] == str(in, "nonce"));
    // Both signatures are present on an encrypted push; both must verify.
    CHECK(url_signature(str(in, "token"), query["timestamp"], query["nonce"]) == query["signature"]);
    CHECK(query["signature"] == str(v["expected"], "url_signature"));
    auto const encrypt = str(in["body_json"], "Encrypt");
    CHECK(encrypt.front() == '+');  // sorts before every digit: the case the doc warns about
    auto const signature = msg_signature(str(in, "token"), query["timestamp"], query["nonce"], encrypt);
    CHECK(signature == query["msg_signature"]);
    CHECK(signature == str(v["expected"], "msg_signature"));
    auto const& reply = v["reply"];
    CHECK(msg_signature(str(in, "token"), str(reply, "timestamp"), str(reply, "nonce"), str(reply, "encrypt")) ==
          str(reply, "msg_signature"));
}

TEST_CASE("signature: msg_signature of the sample decrypt vectors", "[wechat][signature]") {
    auto const& easy = vector_by_id("easywechat-decrypt")["input"];
    auto const easy_signature =
        msg_signature(str(easy, "token"), str(easy, "timestamp"), str(easy, "nonce"), str(easy, "encrypt"));
    CHECK(easy_signature == str(easy, "msg_signature"));
    auto const& negative = vector_by_id("easywechat-decrypt")["negative"][0];
    CHECK_FALSE(constant_time_equal(easy_signature, str(negative, "msg_signature")));

    auto const& work = vector_by_id("wechatpy-work-crypto");
    auto const token = str(work["input"], "token");
    auto const& echo = work["cases"][0];
    CHECK(msg_signature(token, str(echo, "timestamp"), str(echo, "nonce"), str(echo, "echostr")) ==
          str(echo, "msg_signature"));
    CHECK(msg_signature(token, str(echo, "timestamp"), str(echo, "negative_nonce"), str(echo, "echostr")) !=
          str(echo, "msg_signature"));
    auto const& enc = work["cases"][1];
    CHECK(msg_signature(token, str(enc, "timestamp"), str(enc, "nonce"), str(enc, "expected_encrypt")) ==
          str(enc, "expected_msg_signature"));
    auto const& dec = work["cases"][2];
    CHECK(msg_signature(token, str(dec, "timestamp"), str(dec, "nonce"), str(dec, "encrypt")) ==
          str(dec, "msg_signature"));
}

TEST_CASE("signature: sort order is by unsigned byte", "[wechat][signature]") {
    // 0xC3 (start of 'é') sorts after every ASCII byte, '+' and '/' before digits, 'Z' before 'a'.
    CHECK(sorted_sha1({"\xC3\xA9", "z"}) == sorted_sha1({"z\xC3\xA9"}));
    CHECK(sorted_sha1({"1", "+", "/"}) == sorted_sha1({"+/1"}));
    CHECK(sorted_sha1({"a", "Z"}) == sorted_sha1({"Za"}));
    CHECK(sorted_sha1({}) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");  // SHA1("")
    CHECK(url_signature("a", "b", "c") == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("signature: constant_time_equal", "[wechat][signature]") {
    CHECK(constant_time_equal("", ""));
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "ab"));
    CHECK_FALSE(constant_time_equal("", "a"));
    CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

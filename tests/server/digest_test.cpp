#include "server/digest.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace bense::server;

TEST_CASE("SHA-256 and HMAC-SHA256 match the published test vectors", "[digest]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2.
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("base64url has no padding and no + or /", "[digest]") {
    CHECK(base64url("") == "");
    CHECK(base64url("f") == "Zg");
    CHECK(base64url("fo") == "Zm8");
    CHECK(base64url("foo") == "Zm9v");
    CHECK(base64url("\xfb\xff\xbf") == "-_-_");
    CHECK(base64url(system_random_bytes(32)).size() == 43);
}

TEST_CASE("random digits are digits, and every digit comes up", "[digest]") {
    RandomBytes counting = [n = 0](std::size_t k) mutable {
        std::string out;
        for (std::size_t i = 0; i < k; ++i) {
            out.push_back(static_cast<char>(n++ % 256));
        }
        return out;
    };
    std::map<char, int> seen;
    for (int i = 0; i < 200; ++i) {
        auto d = random_digits(counting, 6);
        REQUIRE(d.size() == 6);
        for (char c : d) {
            REQUIRE(c >= '0');
            REQUIRE(c <= '9');
            ++seen[c];
        }
    }
    CHECK(seen.size() == 10);
    // Bytes 250..255 would favour 0..5: they are skipped, not folded.
    RandomBytes then_seven = [calls = 0](std::size_t k) mutable {
        return std::string(k, static_cast<char>(calls++ == 0 ? 252 : 7));
    };
    CHECK(random_digits(then_seven, 4) == "7777");
}

// See digest.hpp.
#include "server/digest.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace bense::server {
namespace {

// Written in place: push_back's check for room, twice a byte, was most of its cost, and every
// request with a session or a token hashes one.
std::string hex(unsigned char const* bytes, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(n * 2, '\0');
    for (std::size_t i = 0; i < n; ++i) {
        out[2 * i] = kHex[bytes[i] >> 4];
        out[2 * i + 1] = kHex[bytes[i] & 0x0F];
    }
    return out;
}

// SHA-256 fetched once: OpenSSL 3 looks EVP_sha256() up again, under a lock, on every
// digest. The fetched object is immutable and shared by every thread.
EVP_MD const* sha256() {
    struct Fetched {
        Fetched() : md(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {}
        ~Fetched() { EVP_MD_free(md); }
        EVP_MD* md;
    };
    static Fetched const fetched;
    return fetched.md;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &n, sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return hex(digest, n);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (HMAC(sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<unsigned char const*>(data.data()), data.size(), digest, &n) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return hex(digest, n);
}

std::string base64url(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    auto const at = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[k])); };
    for (; i + 3 <= bytes.size(); i += 3) {
        unsigned const v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (bytes.size() - i == 1) {
        unsigned const v = at(i) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (bytes.size() - i == 2) {
        unsigned const v = (at(i) << 16) | (at(i + 1) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

std::string system_random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

std::string random_digits(RandomBytes const& random, std::size_t digits) {
    std::string out;
    while (out.size() < digits) {
        for (char c : random(digits)) {
            auto const byte = static_cast<unsigned char>(c);
            if (byte < 250 && out.size() < digits) {  // 250 = 25 * 10: keeps every digit equally likely
                out.push_back(static_cast<char>('0' + byte % 10));
            }
        }
    }
    return out;
}

}  // namespace bense::server

// SHA1 signatures for WeChat callbacks, computed with OpenSSL EVP (the one-shot EVP_Digest).
// std::string_view compares through char_traits<char>, which orders as unsigned char:
// exactly the bytewise order WeChat uses ('+' and '/' before digits, upper before lower).
#include "wechat/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

namespace bense::wechat {
namespace {

// SHA1 fetched once: OpenSSL 3 looks EVP_sha1() up again under a lock on every digest. The
// fetched object is immutable and shared by every thread.
EVP_MD const* sha1() {
    struct Fetched {
        Fetched() : md(EVP_MD_fetch(nullptr, "SHA1", nullptr)) {}
        ~Fetched() { EVP_MD_free(md); }
        EVP_MD* md;
    };
    static Fetched const fetched;
    return fetched.md;
}

}  // namespace

std::string sorted_sha1(std::vector<std::string_view> parts) {
    std::sort(parts.begin(), parts.end());
    std::string joined;
    for (auto part : parts) {
        joined.append(part);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (EVP_Digest(joined.data(), joined.size(), digest, &digest_len, sha1(), nullptr) != 1) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest_len * 2);
    for (unsigned int i = 0; i < digest_len; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 0x0F]);
    }
    return hex;
}

std::string url_signature(std::string_view token, std::string_view timestamp, std::string_view nonce) {
    return sorted_sha1({token, timestamp, nonce});
}

std::string msg_signature(std::string_view token, std::string_view timestamp, std::string_view nonce,
                          std::string_view encrypt) {
    return sorted_sha1({token, timestamp, nonce, encrypt});
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bense::wechat

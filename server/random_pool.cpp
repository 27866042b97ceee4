// See random_pool.hpp.
#include "server/random_pool.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

namespace bense::server {

bool RandomPool::fill(std::span<unsigned char> out) {
    if (out.size() > kDrawSize) {
        return false;
    }
    if (kDrawSize - next_ < out.size()) {
        if (RAND_bytes(bytes_.data(), static_cast<int>(kDrawSize)) != 1) {
            return false;
        }
        next_ = 0;
    }
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(next_), out.size(), out.begin());
    // Handed-out bytes are wiped: the pool never holds what a reply already used.
    OPENSSL_cleanse(bytes_.data() + next_, out.size());
    next_ += out.size();
    return true;
}

}  // namespace bense::server

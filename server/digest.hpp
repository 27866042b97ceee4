// Digests and secrets for identifiers that must not be kept in clear: SHA-256 of tokens,
// HMAC-SHA256 of phone numbers, random tokens and codes from OpenSSL's CSPRNG. Pure apart
// from the random source.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace bense::server {

// Lower-case hex of SHA-256(data).
std::string sha256_hex(std::string_view data);
// Lower-case hex of HMAC-SHA256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Base64url without padding (RFC 4648 section 5): safe in URLs and headers.
std::string base64url(std::string_view bytes);

// A source of random bytes; tests inject a predictable one.
using RandomBytes = std::function<std::string(std::size_t)>;
// n bytes from RAND_bytes; throws std::runtime_error if the CSPRNG fails (it does not on a
// working system, and nothing may go on without randomness).
std::string system_random_bytes(std::size_t n);
// `digits` decimal digits from `random`, each uniform (rejection sampling, no modulo bias).
std::string random_digits(RandomBytes const& random, std::size_t digits);

}  // namespace bense::server

// See scene_code.hpp.
#include "handlers/scene_code.hpp"

#include "server/digest.hpp"

#include <openssl/crypto.h>

namespace bense::handlers {
namespace {

// 16 hex digits: 64 bits, far beyond guessing at the rate the API lets anyone try.
constexpr std::size_t kSignatureLength = 16;

std::string signature(std::string_view key, std::string_view activity) {
    return server::hmac_sha256_hex(key, "scene:" + std::string(activity)).substr(0, kSignatureLength);
}

}  // namespace

std::string scene_for(std::string_view key, std::string_view activity) {
    return std::string(activity) + "." + signature(key, activity);
}

std::optional<std::string> activity_of_scene(std::string_view key, std::string_view scene) {
    auto const dot = scene.find('.');
    if (scene.size() > kMaxSceneLength || dot == std::string_view::npos || dot == 0 ||
        scene.size() - dot - 1 != kSignatureLength) {
        return std::nullopt;
    }
    auto const activity = scene.substr(0, dot);
    auto const expected = signature(key, activity);
    if (CRYPTO_memcmp(expected.data(), scene.data() + dot + 1, kSignatureLength) != 0) {
        return std::nullopt;
    }
    return std::string(activity);
}

}  // namespace bense::handlers

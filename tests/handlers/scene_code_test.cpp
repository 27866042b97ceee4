// Scanned check-in codes: what we sign comes back to the activity; anything else does not.
#include "handlers/scene_code.hpp"

#include <catch2/catch.hpp>

using namespace bense::handlers;

TEST_CASE("a signed scene names its activity and fits WeChat's 32 characters", "[activity]") {
    auto const scene = scene_for("key-0123456789abcdef", "a12345");
    CHECK(scene.size() <= kMaxSceneLength);
    CHECK(scene.rfind("a12345.", 0) == 0);
    CHECK(activity_of_scene("key-0123456789abcdef", scene) == std::optional<std::string>("a12345"));
    CHECK(scene_for("key-0123456789abcdef", "a12345") == scene);  // printed codes stay valid
}

TEST_CASE("a forged, altered or foreign scene is refused", "[activity]") {
    std::string const key = "key-0123456789abcdef";
    auto const scene = scene_for(key, "a7");
    CHECK_FALSE(activity_of_scene("another-key-0123456", scene));
    // The signature of a7 does not open a8.
    CHECK_FALSE(activity_of_scene(key, "a8" + scene.substr(2)));
    auto flipped = scene;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK_FALSE(activity_of_scene(key, flipped));
    for (auto bad : {"", "a7", "a7.", ".0123456789abcdef", "a7.0123", "a7.0123456789abcdef0",
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.0123456789abcdef"}) {
        INFO(bad);
        CHECK_FALSE(activity_of_scene(key, bad));
    }
}

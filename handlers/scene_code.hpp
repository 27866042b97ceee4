// The scene of a mini-program check-in code (getwxacodeunlimit, at most 32 characters): the
// activity id and a signature under a server key, "a12.3f9c0d1e2b4a5c6d". Whoever scans it
// gets the scene back from WeChat and sends it to us; a scene we did not sign is refused. A
// genuine one only checks in while its activity's window is open, so a photo of it that
// travels after the activity is worth nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bense::handlers {

inline constexpr std::size_t kMaxSceneLength = 32;

std::string scene_for(std::string_view key, std::string_view activity);
// The activity a scene names, when its signature holds (compared in constant time).
std::optional<std::string> activity_of_scene(std::string_view key, std::string_view scene);

}  // namespace bense::handlers

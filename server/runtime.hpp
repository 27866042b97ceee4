// Everything the workers share, immutable once the server starts: config, texts, routes,
// and the Redis function libraries to load on every connection.
#pragma once

#include "server/config.hpp"
#include "server/router.hpp"
#include "server/templates.hpp"

#include <functional>
#include <string_view>
#include <vector>

namespace bense::server {

class Worker;

struct Runtime {
    Config config;
    Templates templates;
    Router router;
    std::vector<std::string_view> redis_libraries;
    // Run for each worker before its thread starts, to attach per-thread services.
    std::vector<std::function<void(Worker&)>> worker_setup;
};

// The runtime's own Redis function library (bense_health).
std::string_view server_redis_library();

}  // namespace bense::server

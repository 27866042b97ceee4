// The runtime's own routes: /livez (touches nothing: the ceiling route of the benchmark),
// /healthz (one Redis round trip through our own function) and /metrics (Prometheus text).
#pragma once

#include "server/router.hpp"

namespace bense::server {

void add_health_routes(Router& router);

}  // namespace bense::server

// Logs go to stderr, one line per event, level from config.
#pragma once

#include <string>

namespace bense::server {

// Sets up the default logger on stderr at `level` (already validated by the config loader).
void init_logging(std::string const& level);

}  // namespace bense::server

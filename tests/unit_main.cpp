// Unit tests: no sockets, no files outside the source tree, no Redis, no clock.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

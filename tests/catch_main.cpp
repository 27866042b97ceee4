// Catch2's implementation and main, compiled once for both test binaries (it is the slowest
// file to build). Unit tests (*_test.cpp) use no sockets, no Redis and no clock; integration
// tests (*_itest.cpp) start a private redis-server on first use (support/redis_server.cpp).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

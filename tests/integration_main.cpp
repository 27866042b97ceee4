// Integration tests: a real private redis-server (started on first use by
// support/redis_server.cpp), the server in-process on port 0, and real sockets.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <spdlog/spdlog.h>

int main(int argc, char* argv[]) {
    spdlog::set_level(spdlog::level::warn);  // test output stays readable; failures still show
    return Catch::Session().run(argc, argv);
}

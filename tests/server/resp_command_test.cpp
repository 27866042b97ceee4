#include "server/resp_command.hpp"

#include <hiredis/hiredis.h>

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace bense::server;

namespace {

// What hiredis itself would send for the same arguments.
std::string hiredis_format(std::vector<std::string> const& argv) {
    std::vector<char const*> ptrs;
    std::vector<std::size_t> lens;
    for (auto const& a : argv) {
        ptrs.push_back(a.data());
        lens.push_back(a.size());
    }
    char* target = nullptr;
    int const n =
        redisFormatCommandArgv(&target, static_cast<int>(argv.size()), ptrs.data(), lens.data());
    REQUIRE(n > 0);
    std::string out(target, static_cast<std::size_t>(n));
    std::free(target);
    return out;
}

}  // namespace

TEST_CASE("resp_command frames a command as RESP", "[redis]") {
    CHECK(resp_command({"GET", "k"}) == "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
    CHECK(resp_command({"PING"}) == "*1\r\n$4\r\nPING\r\n");
}

TEST_CASE("resp_command sends the same bytes as hiredis", "[redis]") {
    std::string binary("a\0b\r\nc", 6);
    std::string const big(100000, 'x');
    std::vector<std::vector<std::string>> commands{
        {"SET", "bense:{user:o1}:cb:oa:msg:1", "running", "NX", "GET", "PX", "60000"},
        {"SET", "k", ""},                 // an empty argument
        {"SET", "k", binary},             // NUL, CR and LF inside
        {"SET", "签到", "回复\n第二行"},  // UTF-8
        {"APPEND", "k", big},             // a length of six digits
    };
    for (auto const& argv : commands) {
        CHECK(resp_command(argv) == hiredis_format(argv));
    }
}

// Configuration of the runtime: plain structs with their defaults in one place, filled from
// a JSON-with-comments file. Unknown keys and wrong types are errors naming the key. Other
// modules add their own top-level sections through SectionParser.
#pragma once

#include "server/json.hpp"
#include "server/net.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace bense::server {

using namespace std::chrono_literals;

struct ServerConfig {
    std::string listen = "127.0.0.1";
    std::uint16_t port = 8480;
    unsigned threads = 0;  // 0: one per core
    std::size_t max_connections = 10000;
    std::size_t header_limit_bytes = 8 * 1024;
    std::size_t body_limit_bytes = 64 * 1024;  // routes may set their own
    std::chrono::milliseconds read_timeout = 10s;
    std::chrono::milliseconds idle_timeout = 60s;
    std::chrono::milliseconds write_timeout = 10s;
    std::chrono::milliseconds shutdown_timeout = 10s;
};

struct RedisConfig {
    std::string address = "127.0.0.1:6390";  // host:port (numeric IP) or unix:/path
    std::string password;
    unsigned db = 0;
    std::chrono::milliseconds command_timeout = 1000ms;
    std::chrono::milliseconds connect_timeout = 1000ms;
    std::chrono::milliseconds reconnect_max_backoff = 2000ms;
};

// Whether Redis at `c.address` shares this machine: a unix socket or a loopback address.
bool redis_on_this_machine(RedisConfig const& c);

struct LogConfig {
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
};

struct Config {
    ServerConfig server;
    RedisConfig redis;
    LogConfig log;
    std::string templates_dir = "templates";
};

// Reads one top-level section owned by another module (e.g. "wechat"). Called with the
// section's object, or an empty object when the file has none.
using SectionParser = std::function<void(JsonObjectReader&)>;
using SectionParsers = std::map<std::string, SectionParser, std::less<>>;

result<Config, std::string> parse_config(std::string_view text, SectionParsers const& sections = {});
result<Config, std::string> load_config(std::string const& path, SectionParsers const& sections = {});

// The number of worker threads to run: threads, or the number of cores when 0.
unsigned effective_threads(ServerConfig const& config);

}  // namespace bense::server

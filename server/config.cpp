// Config loading: every key's type and range is checked here, and nowhere else.
#include "server/config.hpp"

#include <boost/asio/ip/address.hpp>

#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace bense::server {
namespace {

// The numeric IP of a Redis "IP:port" address; nullopt for "unix:/path", for an address
// without a port, or for a host that is not a numeric IP.
std::optional<boost::asio::ip::address> redis_ip(std::string const& address) {
    auto const colon = address.rfind(':');
    if (address.starts_with("unix:") || colon == std::string::npos) {
        return std::nullopt;
    }
    error_code ec;
    auto ip = boost::asio::ip::make_address(address.substr(0, colon), ec);
    if (ec) {
        return std::nullopt;
    }
    return ip;
}

void read_server(JsonObjectReader& r, ServerConfig& c) {
    r.read("listen", c.listen);
    r.read("port", c.port, 0, 65535);
    r.read("threads", c.threads, 0, 256);
    r.read("max_connections", c.max_connections, 1, 1'000'000);
    r.read("header_limit_bytes", c.header_limit_bytes, 1024, 1024 * 1024);
    r.read("body_limit_bytes", c.body_limit_bytes, 0, 64 * 1024 * 1024);
    r.read_ms("read_timeout_ms", c.read_timeout, 10, 3'600'000);
    r.read_ms("idle_timeout_ms", c.idle_timeout, 10, 3'600'000);
    r.read_ms("write_timeout_ms", c.write_timeout, 10, 3'600'000);
    r.read_ms("shutdown_timeout_ms", c.shutdown_timeout, 0, 600'000);
    error_code ec;
    boost::asio::ip::make_address(c.listen, ec);
    if (ec) {
        r.fail(r.path_of("listen") + ": expected a numeric IP address");
    }
}

void read_redis(JsonObjectReader& r, RedisConfig& c) {
    r.read("address", c.address);
    r.read_secret("password", c.password);
    r.read("db", c.db, 0, 15);
    r.read_ms("command_timeout_ms", c.command_timeout, 1, 600'000);
    r.read_ms("connect_timeout_ms", c.connect_timeout, 1, 600'000);
    r.read_ms("reconnect_max_backoff_ms", c.reconnect_max_backoff, 10, 600'000);
    if (!c.address.starts_with("unix:") && !redis_ip(c.address)) {
        r.fail(r.path_of("address") + ": expected IP:port or unix:/path (numeric IP: " +
               "a host name would block the event loop while it resolves)");
    }
}

void read_log(JsonObjectReader& r, LogConfig& c) {
    r.read("level", c.level);
    static constexpr std::string_view kLevels[] = {"trace", "debug",    "info", "warn",
                                                   "error", "critical", "off"};
    if (std::find(std::begin(kLevels), std::end(kLevels), c.level) == std::end(kLevels)) {
        r.fail(r.path_of("level") + ": expected one of trace, debug, info, warn, error, critical, off");
    }
}

// Calls `read` with the section's object, or an empty one when absent.
template <class Read>
void read_section(JsonObjectReader& top, std::string_view key, Read read) {
    static rapidjson::Value const kEmpty(rapidjson::kObjectType);
    auto const* v = top.member(key);
    JsonObjectReader r(v != nullptr ? *v : kEmpty, "/" + std::string(key));
    read(r);
    r.finish();
    if (!r.ok()) {
        top.fail(r.error());
    }
}

}  // namespace

result<Config, std::string> parse_config(std::string_view text, SectionParsers const& sections) {
    auto doc = parse_jsonc(text);
    if (!doc) {
        return "config: " + doc.error();
    }
    Config c;
    JsonObjectReader top(*doc, "");
    read_section(top, "server", [&](JsonObjectReader& r) { read_server(r, c.server); });
    read_section(top, "redis", [&](JsonObjectReader& r) { read_redis(r, c.redis); });
    read_section(top, "log", [&](JsonObjectReader& r) { read_log(r, c.log); });
    top.read("templates_dir", c.templates_dir);
    for (auto const& [name, parser] : sections) {
        read_section(top, name, parser);
    }
    top.finish();
    if (!top.ok()) {
        return top.error();
    }
    return c;
}

result<Config, std::string> load_config(std::string const& path, SectionParsers const& sections) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return "config: cannot open " + path;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto c = parse_config(buf.str(), sections);
    if (!c) {
        return path + ": " + c.error();
    }
    return c;
}

unsigned effective_threads(ServerConfig const& config) {
    if (config.threads != 0) {
        return config.threads;
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

bool redis_on_this_machine(RedisConfig const& c) {
    if (c.address.starts_with("unix:")) {
        return true;
    }
    auto const ip = redis_ip(c.address);
    return ip && ip->is_loopback();
}

}  // namespace bense::server

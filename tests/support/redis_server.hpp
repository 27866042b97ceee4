// A private redis-server for integration tests: started from Debian's binary with the
// product's config/redis.conf in a temporary directory on a free loopback port, without
// persistence. Never a mock.
#pragma once

#include "server/redis_reply.hpp"

#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bense::test {

class RedisServer {
public:
    RedisServer();   // starts it and waits until it answers PING
    ~RedisServer();  // kills it and removes its directory

    std::string address() const;  // "127.0.0.1:PORT"
    int port() const { return port_; }

    void start();  // (re)starts on the same port; waits until it answers
    void kill();   // SIGKILL, as a crash would
    void flushall();
    // One command over a fresh synchronous connection, for setting up and checking state.
    server::RedisReply command(std::vector<std::string> const& argv) const;

private:
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

// The one server of this test process, started on first use.
RedisServer& shared_redis();

// The fields of one stream entry as XRANGE answers it ({id, {field, value, ...}}), by name.
std::map<std::string, std::string> entry_fields(server::RedisReply const& entry);

// A loopback TCP port that was free a moment ago.
int free_port();

}  // namespace bense::test

// Spawns redis-server with fork/exec and waits for it with a deadline (no fixed sleeps).
#include "support/redis_server.hpp"

#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace bense::test {

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

RedisServer::RedisServer() {
    char tmpl[] = "/tmp/bense-test-redis-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    dir_ = tmpl;
    port_ = free_port();
    start();
}

RedisServer::~RedisServer() {
    kill();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string RedisServer::address() const { return "127.0.0.1:" + std::to_string(port_); }

void RedisServer::start() {
    if (pid_ > 0) {
        return;
    }
    auto const port = std::to_string(port_);
    auto const log = dir_ + "/redis.log";
    pid_ = ::fork();
    if (pid_ == 0) {
        // Dies with the test process, even when a crash or a ctest timeout kills it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The product's Redis (config/redis.conf: a setting there, an encoding or a limit,
        // is one the tests run against), without its persistence.
        ::execlp("redis-server", "redis-server", BENSE_SOURCE_DIR "/config/redis.conf", "--port",
                 port.c_str(), "--bind", "127.0.0.1", "--dir", dir_.c_str(), "--save", "",
                 "--appendonly", "no", "--logfile", log.c_str(), "--daemonize", "no",
                 static_cast<char*>(nullptr));
        std::_Exit(127);
    }
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        timeval tv{0, 200'000};
        redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, tv);
        if (c != nullptr && c->err == 0) {
            auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
            bool const ok = r != nullptr && r->type == REDIS_REPLY_STATUS;
            freeReplyObject(r);
            redisFree(c);
            if (ok) {
                return;
            }
        } else if (c != nullptr) {
            redisFree(c);
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("redis-server exited at start; see " + log);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("redis-server did not answer within 10 s");
}

void RedisServer::kill() {
    if (pid_ <= 0) {
        return;
    }
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

void RedisServer::flushall() {
    command({"FLUSHALL"});
}

server::RedisReply RedisServer::command(std::vector<std::string> const& argv) const {
    timeval tv{2, 0};
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, tv);
    if (c == nullptr || c->err != 0) {
        if (c != nullptr) {
            redisFree(c);
        }
        throw std::runtime_error("cannot connect to the test redis-server");
    }
    std::vector<char const*> args;
    std::vector<std::size_t> lens;
    for (auto const& a : argv) {
        args.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data()));
    auto out = server::RedisReply::from_hiredis(r);
    if (r != nullptr) {
        freeReplyObject(r);
    }
    redisFree(c);
    return out;
}

RedisServer& shared_redis() {
    static RedisServer server;
    return server;
}

std::map<std::string, std::string> entry_fields(server::RedisReply const& entry) {
    std::map<std::string, std::string> out;
    if (entry.elements.size() < 2) {
        return out;
    }
    auto const& f = entry.elements[1].elements;
    for (std::size_t k = 0; k + 1 < f.size(); k += 2) {
        out[f[k].str] = f[k + 1].str;
    }
    return out;
}

}  // namespace bense::test

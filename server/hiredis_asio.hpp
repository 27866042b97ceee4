// hiredis async hooks driven by Asio: private to redis_client.cpp. Only hooks live here; the
// connection state machine is RedisClient's. Every hook runs on the client's executor thread.
#pragma once

#include "server/net.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>

#include <memory>

struct redisAsyncContext;

namespace bense::server {

class HiredisAsio : public std::enable_shared_from_this<HiredisAsio> {
public:
    // `redis_on_this_machine`: Redis shares this machine's cores (config.hpp), and each write
    // made at once (on_write_turn(), nearly all of them) is followed by a yield of the core.
    HiredisAsio(net::any_io_executor executor, bool redis_on_this_machine);

    // Installs the hooks on `ac`. Must be called before the connect and disconnect callbacks
    // are set (hiredis 0.14 arms the write event inside redisAsyncSetConnectCallback).
    // Returns false when `ac` already has an event library attached.
    bool attach(redisAsyncContext* ac);

private:
    enum Direction { kRead = 0, kWrite = 1 };

    static void on_add_read(void* self) noexcept;
    static void on_del_read(void* self) noexcept;
    static void on_add_write(void* self) noexcept;
    static void on_del_write(void* self) noexcept;
    static void on_cleanup(void* self) noexcept;

    void want(Direction d, bool on);
    void arm(Direction d);
    void on_ready(Direction d, error_code ec);
    void on_write_turn();

    // stream_descriptor works for TCP and unix sockets alike, and release() hands the fd back
    // without closing it: redisFree closes it, exactly once.
    net::posix::stream_descriptor sd_;
    redisAsyncContext* ac_ = nullptr;
    bool want_[2] = {false, false};
    bool armed_[2] = {false, false};
    bool write_blocked_ = false;  // a posted write is in progress: a request to write again waits for epoll
    bool yield_after_write_;
    // Keeps the adapter alive until hiredis calls cleanup; pending waits hold their own copy.
    std::shared_ptr<HiredisAsio> self_;
};

}  // namespace bense::server

// The hiredis 0.14 event-library contract (async.h): add/del read/write must be idempotent,
// cleanup is called on every free path before redisFree closes the fd, and cleanup may run
// while one of our own wait handlers is on the stack (inside redisAsyncHandleRead).
#include "server/hiredis_asio.hpp"

#include <boost/asio/post.hpp>
#include <hiredis/async.h>
#include <hiredis/sds.h>
#include <sched.h>
#include <spdlog/spdlog.h>

namespace bense::server {

HiredisAsio::HiredisAsio(net::any_io_executor executor, bool redis_on_this_machine)
    : sd_(std::move(executor)), yield_after_write_(redis_on_this_machine) {}

bool HiredisAsio::attach(redisAsyncContext* ac) {
    if (ac->ev.data != nullptr) {
        return false;
    }
    error_code ec;
    sd_.assign(ac->c.fd, ec);
    if (ec) {
        spdlog::error("redis: cannot watch descriptor {}: {}", ac->c.fd, ec.message());
        return false;
    }
    ac_ = ac;
    ac->ev.addRead = &HiredisAsio::on_add_read;
    ac->ev.delRead = &HiredisAsio::on_del_read;
    ac->ev.addWrite = &HiredisAsio::on_add_write;
    ac->ev.delWrite = &HiredisAsio::on_del_write;
    ac->ev.cleanup = &HiredisAsio::on_cleanup;
    ac->ev.data = this;
    self_ = shared_from_this();
    return true;
}

void HiredisAsio::on_add_read(void* self) noexcept { static_cast<HiredisAsio*>(self)->want(kRead, true); }
void HiredisAsio::on_del_read(void* self) noexcept { static_cast<HiredisAsio*>(self)->want(kRead, false); }
void HiredisAsio::on_add_write(void* self) noexcept { static_cast<HiredisAsio*>(self)->want(kWrite, true); }
void HiredisAsio::on_del_write(void* self) noexcept { static_cast<HiredisAsio*>(self)->want(kWrite, false); }

void HiredisAsio::on_cleanup(void* self) noexcept {
    auto* adapter = static_cast<HiredisAsio*>(self);
    adapter->ac_ = nullptr;
    error_code ignored;
    adapter->sd_.cancel(ignored);
    adapter->sd_.release();  // aborts both waits; does not close the fd
    // Drop our own reference last: a pending wait handler may still hold another one.
    auto keep = std::move(adapter->self_);
}

void HiredisAsio::want(Direction d, bool on) {
    want_[d] = on;
    // Asio cannot cancel one direction of a descriptor alone, so "del" only clears the wish and
    // a wait that completes while unwanted does nothing.
    if (on && !armed_[d] && ac_ != nullptr) {
        arm(d);
    }
}

void HiredisAsio::arm(Direction d) {
    armed_[d] = true;
    if (d == kWrite && !write_blocked_ && (ac_->c.flags & REDIS_CONNECTED) != 0) {
        // A connected socket to Redis can nearly always take more: write as soon as the handlers
        // already queued have run (with every command they add), not after a turn through epoll
        // (an epoll_ctl and a wait each time). Only a write that could not finish waits for epoll.
        // While connecting, writability is how hiredis learns that the connection is up: wait.
        net::post(sd_.get_executor(), [self = shared_from_this()] { self->on_write_turn(); });
        return;
    }
    auto const type = d == kRead ? net::posix::descriptor_base::wait_read
                                 : net::posix::descriptor_base::wait_write;
    sd_.async_wait(type, [self = shared_from_this(), d](error_code ec) { self->on_ready(d, ec); });
}

void HiredisAsio::on_write_turn() {
    // If hiredis asks to write again from inside this write, the socket took only part of the
    // buffer: that request waits for epoll. `this` is kept alive by the handler's own reference.
    bool const wrote = ac_ != nullptr && ac_->c.obuf != nullptr && sdslen(ac_->c.obuf) > 0;
    write_blocked_ = true;
    on_ready(kWrite, {});
    write_blocked_ = false;
    // Redis on the same cores is the one thing every request of these commands now waits for.
    // Its wake-up by a local socket is "sync": the kernel tends to queue it on this core, behind
    // this worker's run of handlers. Yielding lets it start on the commands at once; the
    // worker's turn comes back with or right after the answers. With a core to spare the yield
    // returns at once. In interleaved bench runs (README) a plain callback gained about 6%.
    if (yield_after_write_ && wrote) {
        sched_yield();
    }
}

void HiredisAsio::on_ready(Direction d, error_code ec) {
    armed_[d] = false;
    if (ec == net::error::operation_aborted || ac_ == nullptr) {
        return;
    }
    if (ec) {
        spdlog::warn("redis: wait on descriptor failed: {}", ec.message());
    }
    if (!want_[d]) {
        return;
    }
    // hiredis re-arms by calling addRead/addWrite itself. After this call ac_ may be null:
    // cleanup can run inside it, so nothing here touches the context afterwards.
    if (d == kRead) {
        redisAsyncHandleRead(ac_);
    } else {
        redisAsyncHandleWrite(ac_);
    }
}

}  // namespace bense::server

// The wall clock as an interface, so code that compares times (callback timestamps, windows,
// due dates) can be tested at a fixed instant. Header only; the system clock is the default.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bense::server {

class Clock {
public:
    virtual ~Clock() = default;
    // Unix time in whole seconds.
    virtual std::int64_t now_seconds() const = 0;
};

class SystemClock final : public Clock {
public:
    std::int64_t now_seconds() const override {
        auto const since = std::chrono::system_clock::now().time_since_epoch();
        return std::chrono::duration_cast<std::chrono::seconds>(since).count();
    }
};

// A clock that says what a test tells it; safe to set from the test thread while server
// threads read it.
class FixedClock final : public Clock {
public:
    explicit FixedClock(std::int64_t seconds) : now_(seconds) {}
    std::int64_t now_seconds() const override { return now_.load(); }
    void set(std::int64_t seconds) { now_.store(seconds); }

private:
    std::atomic<std::int64_t> now_;
};

}  // namespace bense::server

// Random bytes from OpenSSL's generator, drawn a few kilobytes at a time. OpenSSL 3 makes a
// getpid() system call on every RAND_bytes (its check for a fork), and system calls are dear
// on a virtual machine; a worker asked for 16 bytes for every safe-mode reply. One pool per
// worker thread, so no lock. A byte is handed out once; the process must not fork while pools
// hold bytes (the server never forks).
#pragma once
#include <array>
#include <cstddef>
#include <span>

namespace bense::server {

class RandomPool {
public:
    static constexpr std::size_t kDrawSize = 4096;

    // Fills `out` (at most kDrawSize bytes) with random bytes; false when the generator failed,
    // and then `out` holds nothing usable.
    bool fill(std::span<unsigned char> out);

private:
    std::array<unsigned char, kDrawSize> bytes_{};
    std::size_t next_ = kDrawSize;  // the first byte not yet handed out
};

}  // namespace bense::server

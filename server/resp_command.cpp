// See resp_command.hpp.
#include "server/resp_command.hpp"

#include <charconv>
#include <cstddef>

namespace bense::server {
namespace {

void append_header(std::string& out, char kind, std::size_t n) {
    char digits[24];
    auto const end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    out.push_back(kind);
    out.append(digits, end);
    out.append("\r\n");
}

}  // namespace

std::string resp_command(std::vector<std::string> const& argv) {
    // One allocation: each argument adds at most 1 + 20 digits + 4 bytes of framing.
    std::size_t size = 24;
    for (auto const& a : argv) {
        size += a.size() + 25;
    }
    std::string out;
    out.reserve(size);
    append_header(out, '*', argv.size());
    for (auto const& a : argv) {
        append_header(out, '$', a.size());
        out.append(a);
        out.append("\r\n");
    }
    return out;
}

}  // namespace bense::server

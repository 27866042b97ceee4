// URL helpers; pure functions.
#include "server/url.hpp"

namespace bense::server {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

}  // namespace

Target split_target(std::string_view target) {
    auto q = target.find('?');
    if (q == std::string_view::npos) {
        return {target, {}};
    }
    return {target.substr(0, q), target.substr(q + 1)};
}

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        // A run without escapes in one copy: most values (signatures, timestamps, ids) are one
        // such run, and a byte at a time was most of reading a WeChat callback's query.
        auto run = i;
        while (run < in.size() && in[run] != '%' && !(plus_is_space && in[run] == '+')) {
            ++run;
        }
        out.append(in.data() + i, run - i);
        if (run == in.size()) {
            break;
        }
        if (in[run] == '+') {
            out += ' ';
            i = run + 1;
            continue;
        }
        if (run + 2 >= in.size()) {
            return std::nullopt;
        }
        int hi = hex_value(in[run + 1]);
        int lo = hex_value(in[run + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out += static_cast<char>(hi * 16 + lo);
        i = run + 3;
    }
    return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    std::optional<std::string> out;
    for_each_query_pair(query, [&](std::string_view key, std::string_view raw_value) {
        if (key != name) {
            return true;
        }
        out = percent_decode(raw_value, true);
        return false;
    });
    return out;
}

}  // namespace bense::server

// Small URL helpers: split a request target, percent-decode, read one query parameter.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bense::server {

struct Target {
    std::string_view path;
    std::string_view query;  // without the '?'
};

Target split_target(std::string_view target);

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Returns nullopt for a
// malformed escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space = false);

// The decoded value of the first `name=value` in a query string; nullopt when absent or
// malformed. A bare `name` yields "".
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// Calls `f(name, raw value)` for each pair of a query string in order, values still encoded
// ("" for a bare `name`), until `f` returns false: one pass for a caller that wants several.
template <class F>
void for_each_query_pair(std::string_view query, F&& f) {
    while (!query.empty()) {
        auto const amp = query.find('&');
        auto const pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        auto const eq = pair.find('=');
        auto const value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        if (!f(pair.substr(0, eq), value)) {
            return;
        }
    }
}

}  // namespace bense::server

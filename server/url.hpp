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

}  // namespace bense::server

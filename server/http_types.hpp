// What a handler sees and returns. A handler is a coroutine from Request to Response: it
// answers exactly once by construction, and never touches the socket.
#pragma once

#include "server/net.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bense::server {

class Worker;

using Response = http::response<http::string_body>;

struct Request {
    http::request<http::string_body> msg;
    std::string_view path;    // target without the query, not decoded
    std::string_view query;   // after '?', not decoded
    std::string_view route;   // the matched pattern, e.g. "/api/v1/activities/{id}"
    std::vector<std::pair<std::string, std::string>> params;  // decoded path parameters
    std::string remote_address;
    Worker* worker = nullptr;  // the thread's services: Redis, metrics, templates

    // A decoded path parameter; "" when the route has none of that name.
    std::string_view param(std::string_view name) const;
    // A decoded query parameter; nullopt when absent or malformed.
    std::optional<std::string> query_param(std::string_view name) const;
    std::string_view header(http::field f) const;
};

using Handler = std::function<net::awaitable<Response>(Request&)>;
// A filter answers early with a Response, or returns nullopt to let the request go on.
using Filter = std::function<net::awaitable<std::optional<Response>>(Request&)>;

}  // namespace bense::server

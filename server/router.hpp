// The route table: rows of {verb, pattern, handler, filters, body limit}, matched by method
// and path. Patterns are literal segments and {name} segments, e.g. /api/v1/members/{id}.
#pragma once

#include "server/http_types.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace bense::server {

struct Route {
    http::verb verb;
    std::string pattern;
    Handler handler;
    std::vector<Filter> filters = {};
    std::size_t body_limit = 0;  // 0: the server's default
};

class Router {
public:
    // Adds a row. Throws std::invalid_argument for a malformed pattern or a duplicate
    // (method, pattern): routes are built at start-up, where a bug should stop the process.
    void add(Route route);

    struct Match {
        Route const* route = nullptr;
        bool path_known = false;  // some route has this path, with another method (405)
        std::vector<std::pair<std::string, std::string>> params;
    };
    Match match(http::verb verb, std::string_view path) const;

    // Runs the route's filters in order, then its handler.
    static net::awaitable<Response> dispatch(Route const& route, Request& req);

    std::vector<Route const*> routes() const;

private:
    struct Compiled {
        Route route;
        std::vector<std::string> segments;  // "{name}" marks a parameter
    };
    std::vector<Compiled> routes_;
};

}  // namespace bense::server

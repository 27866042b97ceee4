// Route matching by segments. A linear scan: a few dozen routes compare faster this way than
// through any tree, and the table stays readable.
#include "server/router.hpp"

#include "server/url.hpp"

#include <stdexcept>

namespace bense::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') {
        return out;
    }
    std::size_t pos = 1;
    while (true) {
        auto slash = path.find('/', pos);
        out.push_back(path.substr(pos, slash == std::string_view::npos ? slash : slash - pos));
        if (slash == std::string_view::npos) {
            break;
        }
        pos = slash + 1;
    }
    return out;
}

bool is_param(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(Route route) {
    if (route.pattern.empty() || route.pattern.front() != '/') {
        throw std::invalid_argument("route pattern must start with '/': " + route.pattern);
    }
    for (auto const& c : routes_) {
        if (c.route.verb == route.verb && c.route.pattern == route.pattern) {
            throw std::invalid_argument("duplicate route: " + route.pattern);
        }
    }
    Compiled c;
    for (auto seg : split_path(route.pattern)) {
        c.segments.emplace_back(seg);
    }
    c.route = std::move(route);
    routes_.push_back(std::move(c));
}

Router::Match Router::match(http::verb verb, std::string_view path) const {
    Match m;
    auto const segments = split_path(path);
    for (auto const& c : routes_) {
        if (c.segments.size() != segments.size()) {
            continue;
        }
        std::vector<std::pair<std::string, std::string>> params;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            auto const& pat = c.segments[i];
            if (is_param(pat)) {
                auto decoded = percent_decode(segments[i]);
                ok = decoded.has_value() && !decoded->empty();
                if (ok) {
                    params.emplace_back(pat.substr(1, pat.size() - 2), std::move(*decoded));
                }
            } else {
                ok = pat == segments[i];
            }
        }
        if (!ok) {
            continue;
        }
        if (c.route.verb != verb) {
            m.path_known = true;
            continue;
        }
        m.route = &c.route;
        m.params = std::move(params);
        return m;
    }
    return m;
}

net::awaitable<Response> Router::dispatch(Route const& route, Request& req) {
    for (auto const& filter : route.filters) {
        if (auto early = co_await filter(req)) {
            co_return std::move(*early);
        }
    }
    co_return co_await route.handler(req);
}

std::vector<Route const*> Router::routes() const {
    std::vector<Route const*> out;
    for (auto const& c : routes_) {
        out.push_back(&c.route);
    }
    return out;
}

}  // namespace bense::server

// Route matching by segments. A linear scan: a few dozen routes compare faster this way than
// through any tree, and the table stays readable.
#include "server/router.hpp"

#include "server/url.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace bense::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') {
        return out;
    }
    out.reserve(static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')));  // one allocation, not one a doubling
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

// From the last segment back: rows share their first ones (/api/v1/admin/...), and differ
// at the end (.../points, .../status).
bool literals_match(std::vector<std::string> const& pattern, std::vector<std::string_view> const& segments) {
    for (std::size_t i = segments.size(); i-- > 0;) {
        if (!is_param(pattern[i]) && pattern[i] != segments[i]) {
            return false;
        }
    }
    return true;
}

// The parameters' values, percent-decoded; none when one is empty or badly encoded.
std::optional<std::vector<std::pair<std::string, std::string>>> decode_params(
    std::vector<std::string> const& pattern, std::vector<std::string_view> const& segments) {
    std::vector<std::pair<std::string, std::string>> params;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        auto const& pat = pattern[i];
        if (!is_param(pat)) {
            continue;
        }
        auto decoded = percent_decode(segments[i]);
        if (!decoded || decoded->empty()) {
            return std::nullopt;
        }
        params.emplace_back(pat.substr(1, pat.size() - 2), std::move(*decoded));
    }
    return params;
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
    // The rows of this method first; only a path without one is looked up again under every
    // method, to tell 405 from 404. Literal segments before parameters: most rows differ
    // there, and decoding a parameter (a string of its own) for a row that a later segment
    // rules out was most of what matching an admin path cost.
    for (auto const& c : routes_) {
        if (c.route.verb != verb || c.segments.size() != segments.size() || !literals_match(c.segments, segments)) {
            continue;
        }
        if (auto params = decode_params(c.segments, segments)) {
            m.route = &c.route;
            m.params = std::move(*params);
            return m;
        }
    }
    for (auto const& c : routes_) {
        if (c.segments.size() == segments.size() && literals_match(c.segments, segments) &&
            decode_params(c.segments, segments)) {
            m.path_known = true;
            break;
        }
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

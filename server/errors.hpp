// The runtime's error codes and the one table that maps each to an HTTP status, the code in
// the envelope and the template key of its Chinese message. Features add their own tables
// of the same shape (ErrorRow) and hand them to the same envelope helpers.
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/system/error_code.hpp>

#include <span>
#include <string_view>
#include <type_traits>

namespace bense::server {

enum class errc {
    bad_request = 1,
    bad_json,
    body_too_large,
    header_too_large,
    not_found,
    method_not_allowed,
    request_timeout,
    unauthorized,
    forbidden,
    internal,
    server_busy,
    shutting_down,
    store_unavailable,   // no connection to Redis right now
    store_timeout,       // Redis did not answer in time
    store_disconnected,  // the connection dropped while the command was pending
    store_error,         // Redis answered with an error reply
    upstream_unavailable,
    upstream_timeout,
};
inline constexpr int kErrcCount = static_cast<int>(errc::upstream_timeout);

// One row of an error table: what the client sees for an error.
struct ErrorRow {
    std::string_view code;          // envelope code, e.g. "store.unavailable"
    boost::beast::http::status status;
    std::string_view template_key;  // key in templates/ for the Chinese message
};

// The row for a runtime error; every enumerator has one (a unit test walks them all).
ErrorRow const& error_row(errc e);
std::span<ErrorRow const> all_error_rows();

boost::system::error_category const& server_category() noexcept;
inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), server_category()};
}

}  // namespace bense::server

template <>
struct boost::system::is_error_code_enum<bense::server::errc> : std::true_type {};

// Namespace aliases and the completion token every coroutine in Bense uses.
// One place, so that a line of I/O reads `auto [ec, n] = co_await stream.async_read_some(...)`.
#pragma once

#include <boost/asio/any_io_executor.hpp>   // net::any_io_executor
#include <boost/asio/as_tuple.hpp>          // errors as values from co_await
#include <boost/asio/awaitable.hpp>         // net::awaitable<T>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>            // tcp
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>  // beast::tcp_stream (timeouts built in)
#include <boost/beast/http.hpp>             // http::request, http::response
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace bense {

namespace net = boost::asio;         // boost/asio.hpp
namespace beast = boost::beast;      // boost/beast.hpp
namespace http = boost::beast::http; // boost/beast/http.hpp
using tcp = boost::asio::ip::tcp;    // boost/asio/ip/tcp.hpp
using error_code = boost::system::error_code;

template <class T, class E = error_code>
using result = boost::system::result<T, E>;

// `co_await op(..., use_tuple)` yields (error_code, ...) instead of throwing.
inline constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

}  // namespace bense

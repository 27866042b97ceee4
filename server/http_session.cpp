// The connection coroutine. Timeouts sit where the I/O starts (expires_after before every
// read and write); every failure returns at once; an exception from a handler is a bug, so
// it becomes a 500 envelope, a log line and a count, and the connection lives on.
#include "server/http_session.hpp"

#include "server/http_server.hpp"
#include "server/response.hpp"
#include "server/url.hpp"
#include "server/worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace bense::server {
namespace {

// Room beyond a request's size for the next one's slightly longer header or body, and the
// most room a connection keeps: a larger body (an upload) is read in pieces, as before, rather
// than holding its size for as long as the connection lives.
constexpr std::size_t kReadRoomSlack = 512;
constexpr std::size_t kReadRoomMax = 16 * 1024;

// Unregisters the session and counts it closed, on every way out of the coroutine.
class SessionScope {
public:
    SessionScope(Worker& worker, beast::tcp_stream& stream)
        : worker_(worker), handle_(worker.add_session(stream)) {}
    ~SessionScope() {
        worker_.server().open_connections().fetch_sub(1, std::memory_order_relaxed);
        worker_.remove_session(handle_);
    }
    Worker::SessionHandle handle() const { return handle_; }

private:
    Worker& worker_;
    Worker::SessionHandle handle_;
};

void finish(Response& res, unsigned version, bool keep_alive) {
    res.version(version);
    res.keep_alive(keep_alive);
    res.prepare_payload();
}

void record(Worker& worker, std::string_view route, http::verb method, std::string_view path,
            unsigned status, std::chrono::steady_clock::time_point start) {
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    auto const method_text = http::to_string(method);
    auto& m = worker.metrics();
    auto const status_text = std::to_string(status);
    m.add(metric_series("bense_http_requests_total",
                        {{"route", route}, {"method", method_text}, {"status", status_text}}));
    m.observe(metric_series("bense_http_request_duration_seconds", {{"route", route}}), elapsed.count());
    spdlog::info("{} {} {} {:.1f}ms", method_text, path, status, elapsed.count() * 1000);
}

// Writes a response that ends the connection (a request we could not read whole).
net::awaitable<void> answer_and_close(Worker& worker, beast::tcp_stream& stream, errc e) {
    auto res = error_response(worker.templates(), error_row(e));
    finish(res, 11, false);
    stream.expires_after(worker.runtime().config.server.write_timeout);
    co_await http::async_write(stream, res, use_tuple);
    record(worker, "unmatched", http::verb::unknown, "-", res.result_int(),
           std::chrono::steady_clock::now());
}

std::string remote_of(tcp::socket const& socket) {
    error_code ec;
    auto ep = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : ep.address().to_string();
}

}  // namespace

net::awaitable<void> run_session(Worker& worker, tcp::socket socket) {
    auto const& cfg = worker.runtime().config.server;
    error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    auto const remote = remote_of(socket);
    beast::tcp_stream stream(std::move(socket));
    SessionScope scope(worker, stream);
    beast::flat_buffer buffer;
    bool first = true;

    while (!worker.stopping()) {
        // Header first, with an unlimited body: the route decides the body limit below.
        http::request_parser<http::empty_body> head;
        head.header_limit(static_cast<std::uint32_t>(cfg.header_limit_bytes));
        head.body_limit(boost::none);
        stream.expires_after(first ? cfg.read_timeout : cfg.idle_timeout);
        worker.set_idle(scope.handle(), true);
        auto [read_ec, header_bytes] = co_await http::async_read_header(stream, buffer, head, use_tuple);
        worker.set_idle(scope.handle(), false);
        if (read_ec == http::error::header_limit) {
            co_await answer_and_close(worker, stream, errc::header_too_large);
            break;
        }
        if (read_ec == http::error::end_of_stream || read_ec == beast::error::timeout ||
            read_ec == net::error::operation_aborted || read_ec == net::error::connection_reset ||
            read_ec == net::error::eof) {
            break;  // the peer left, went quiet, or we are shutting down
        }
        if (read_ec) {
            spdlog::debug("{}: unreadable request: {}", remote, read_ec.message());
            co_await answer_and_close(worker, stream, errc::bad_request);
            break;
        }
        first = false;
        auto const start = std::chrono::steady_clock::now();
        auto const& router = worker.runtime().router;
        auto match = router.match(head.get().method(), split_target(head.get().target()).path);

        http::request_parser<http::string_body> parser(std::move(head));
        auto const body_limit = match.route != nullptr && match.route->body_limit != 0
                                    ? match.route->body_limit
                                    : cfg.body_limit_bytes;
        parser.body_limit(body_limit);
        // Beast compares Content-Length with the limit only while parsing the header, which
        // ran unlimited above; so the declared length is checked here, before reading a byte.
        if (auto declared = parser.content_length(); declared && *declared > body_limit) {
            co_await answer_and_close(worker, stream, errc::body_too_large);
            break;
        }
        if (!parser.is_done()) {
            // Beast reads into the buffer's free room, at least 512 bytes, and the room stays
            // about 1 KB: a safe-mode callback (~1.4 KB) took two or three recvmsg calls, each
            // request. Room for this request's size, kept for the next ones, lets one take it.
            if (auto declared = parser.content_length()) {
                buffer.reserve(std::min<std::uint64_t>(header_bytes + *declared + kReadRoomSlack, kReadRoomMax));
            }
            stream.expires_after(cfg.read_timeout);
            auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (body_ec == http::error::body_limit) {
                co_await answer_and_close(worker, stream, errc::body_too_large);
                break;
            }
            if (body_ec) {
                spdlog::debug("{}: request body not read: {}", remote, body_ec.message());
                break;
            }
        }

        Request req;
        req.msg = parser.release();
        req.worker = &worker;
        req.remote_address = remote;
        auto const target = split_target(req.msg.target());
        req.path = target.path;
        req.query = target.query;

        Response res;
        std::string_view route_label = "unmatched";
        if (match.route == nullptr) {
            res = error_response(req, match.path_known ? errc::method_not_allowed : errc::not_found);
        } else {
            req.route = route_label = match.route->pattern;
            req.params = std::move(match.params);
            try {
                res = co_await Router::dispatch(*match.route, req);
            } catch (std::exception const& e) {
                spdlog::error("{} {}: handler failed: {}", req.msg.method_string(), req.route, e.what());
                worker.metrics().add("bense_handler_exceptions_total");
                res = error_response(req, errc::internal);
            }
        }
        bool const keep_alive = req.msg.keep_alive() && !worker.stopping();
        finish(res, req.msg.version(), keep_alive);
        stream.expires_after(cfg.write_timeout);
        auto [write_ec, written] = co_await http::async_write(stream, res, use_tuple);
        record(worker, route_label, req.msg.method(), req.path, res.result_int(), start);
        if (write_ec || !keep_alive) {
            break;
        }
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<void> reject_busy(Worker& worker, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    spdlog::warn("connection limit reached: answering 503");
    co_await answer_and_close(worker, stream, errc::server_busy);
    error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace bense::server

// Blocking test client; failures throw, which Catch2 reports with the message.
#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <sys/socket.h>

namespace bense::test {

HttpClient::HttpClient(std::uint16_t port) : socket_(ioc_), port_(port) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    // Bound every blocking read, so a broken server fails a test instead of hanging it.
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

HttpResponse HttpClient::request(http::verb verb, std::string const& target, std::string body,
                                 Headers const& headers) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    for (auto const& [k, v] : headers) {
        req.set(k, v);
    }
    if (!body.empty() || verb == http::verb::post || verb == http::verb::put) {
        req.body() = std::move(body);
        req.prepare_payload();
    }
    http::write(socket_, req);
    return read_response();
}

void HttpClient::write_raw(std::string const& bytes) { net::write(socket_, net::buffer(bytes)); }

HttpResponse HttpClient::read_response() {
    HttpResponse res;
    http::read(socket_, buffer_, res);
    return res;
}

bool HttpClient::closed_by_peer(std::chrono::milliseconds within) {
    timeval tv{static_cast<time_t>(within.count() / 1000),
               static_cast<suseconds_t>((within.count() % 1000) * 1000)};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char c;
    error_code ec;
    auto n = socket_.read_some(net::buffer(&c, 1), ec);
    return n == 0 && (ec == net::error::eof || ec == net::error::connection_reset);
}

}  // namespace bense::test

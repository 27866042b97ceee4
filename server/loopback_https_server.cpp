// Loopback HTTPS server: Beast over OpenSSL, one coroutine per connection.
#include "server/loopback_https_server.hpp"

#include <boost/beast/ssl/ssl_stream.hpp>

#include <stdexcept>

namespace bense::server {

LoopbackHttpsServer::LoopbackHttpsServer(Handler handler, std::string bind_address, std::uint16_t port)
    : handler_(std::move(handler)), bind_address_(std::move(bind_address)), requested_port_(port) {
    auto cert = make_self_signed_cert("bense-loopback");
    if (!cert) {
        throw std::runtime_error(cert.error());
    }
    cert_ = std::move(*cert);
    tls_.use_certificate_chain(net::buffer(cert_.cert_pem));
    tls_.use_private_key(net::buffer(cert_.key_pem), net::ssl::context::pem);
    tcp::endpoint ep(net::ip::make_address(bind_address_), requested_port_);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    net::co_spawn(ioc_, accept_loop(), net::detached);
    thread_ = std::thread([this] { ioc_.run(); });
}

LoopbackHttpsServer::~LoopbackHttpsServer() {
    net::post(ioc_, [this] { ioc_.stop(); });
    thread_.join();
}

std::string LoopbackHttpsServer::base_url() const {
    return "https://" + bind_address_ + ":" + std::to_string(port_);
}

HttpsAnswer LoopbackHttpsServer::json(unsigned status, std::string body) {
    HttpsAnswer a;
    a.response.result(status);
    a.response.version(11);
    a.response.set(http::field::content_type, "application/json");
    a.response.body() = std::move(body);
    return a;
}

net::awaitable<void> LoopbackHttpsServer::accept_loop() {
    while (true) {
        auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
        if (ec) {
            co_return;
        }
        ++accepted_;
        net::co_spawn(ioc_, session(std::move(socket)), net::detached);
    }
}

net::awaitable<void> LoopbackHttpsServer::session(tcp::socket socket) {
    int const now = ++concurrent_;
    int seen = max_concurrent_.load();
    while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls_);
    beast::flat_buffer buffer;
    auto [hs_ec] = co_await stream.async_handshake(net::ssl::stream_base::server, use_tuple);
    while (!hs_ec) {
        http::request<http::string_body> req;
        auto [read_ec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
        if (read_ec) {
            break;
        }
        auto answer = handler_(req);
        if (answer.delay.count() > 0) {
            net::steady_timer t(ioc_, answer.delay);
            co_await t.async_wait(use_tuple);
        }
        if (answer.drop) {
            break;
        }
        answer.response.keep_alive(req.keep_alive());
        answer.response.prepare_payload();
        auto [write_ec, m] = co_await http::async_write(stream, answer.response, use_tuple);
        if (write_ec || !req.keep_alive()) {
            break;
        }
    }
    error_code ec;
    beast::get_lowest_layer(stream).socket().close(ec);
    --concurrent_;
}

}  // namespace bense::server

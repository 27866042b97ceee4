// A small HTTPS server on loopback for testing outbound clients: a self-signed certificate,
// one thread, and a test-supplied function that decides each answer (or to hang or drop).
#pragma once

#include "server/net.hpp"
#include "server/tls_cert.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace bense::test {

struct TlsAnswer {
    http::response<http::string_body> response;
    std::chrono::milliseconds delay{0};  // wait before answering
    bool drop = false;                   // close the connection instead of answering
};

class TlsServer {
public:
    using Handler = std::function<TlsAnswer(http::request<http::string_body> const&)>;

    explicit TlsServer(Handler handler, std::string bind_address = "127.0.0.1");
    ~TlsServer();

    std::uint16_t port() const { return port_; }
    std::string const& cert_pem() const { return cert_.cert_pem; }
    std::string base_url() const;
    int connections_accepted() const { return accepted_; }
    int max_concurrent_connections() const { return max_concurrent_; }

    static TlsAnswer text(unsigned status, std::string body);

private:
    net::awaitable<void> accept_loop();
    net::awaitable<void> session(tcp::socket socket);

    Handler handler_;
    std::string bind_address_;
    server::SelfSignedCert cert_;
    net::io_context ioc_{1};
    net::ssl::context tls_{net::ssl::context::tls_server};
    tcp::acceptor acceptor_{ioc_};
    std::uint16_t port_ = 0;
    std::atomic<int> accepted_{0};
    std::atomic<int> concurrent_{0};
    std::atomic<int> max_concurrent_{0};
    std::thread thread_;
};

}  // namespace bense::test

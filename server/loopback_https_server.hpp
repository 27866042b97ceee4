// A small HTTPS server for loopback only: a self-signed certificate made at start, one thread
// of its own, and a function that decides each answer (or to delay it, or to drop the
// connection). Stands in for WeChat in tests and local runs; never faces the internet.
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

namespace bense::server {

struct HttpsAnswer {
    http::response<http::string_body> response;
    std::chrono::milliseconds delay{0};  // wait before answering
    bool drop = false;                   // close the connection instead of answering
};

class LoopbackHttpsServer {
public:
    using Handler = std::function<HttpsAnswer(http::request<http::string_body> const&)>;

    // Binds bind_address:port (0: a free port) and starts answering. Throws on bind failure.
    explicit LoopbackHttpsServer(Handler handler, std::string bind_address = "127.0.0.1",
                                 std::uint16_t port = 0);
    ~LoopbackHttpsServer();

    std::uint16_t port() const { return port_; }
    std::string const& cert_pem() const { return cert_.cert_pem; }
    std::string base_url() const;
    int connections_accepted() const { return accepted_; }
    int max_concurrent_connections() const { return max_concurrent_; }

    // An answer with `body` as application/json.
    static HttpsAnswer json(unsigned status, std::string body);

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
    std::uint16_t requested_port_ = 0;
    std::thread thread_;
};

}  // namespace bense::server

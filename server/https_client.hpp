// Outbound HTTPS: Beast over OpenSSL, certificates verified (system store, plus one extra
// trust anchor for the loopback fake), host names checked, connections kept alive and reused,
// at most max_connections open, every step under a timeout. Use it from the executor it was
// made on only (one per worker thread): it has no locks.
#pragma once

#include "server/net.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace bense::server {

struct HttpsClientOptions {
    std::string base_url = "https://api.weixin.qq.com";  // https://host[:port][/prefix]
    bool trust_system_store = true;
    std::string extra_trusted_pem;  // e.g. the fake WeChat's self-signed certificate
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{5000};
    std::chrono::milliseconds keep_idle{30000};  // reuse an idle connection younger than this
    std::size_t max_connections = 8;
    std::size_t response_limit_bytes = 4 * 1024 * 1024;
};

struct HttpsResponse {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

struct HttpsResult {
    error_code ec;  // errc::upstream_unavailable or errc::upstream_timeout; empty on success
    // The request was written whole before the failure: the peer may have acted on it. A send
    // with this set has an unknown outcome and must not be blindly repeated.
    bool maybe_delivered = false;
    HttpsResponse response;
    std::string detail;  // for the log: what failed and why
};

class HttpsClient {
public:
    // Fails on a malformed base URL or trust anchor (start-up errors).
    static result<std::unique_ptr<HttpsClient>, std::string> create(net::any_io_executor executor,
                                                                    HttpsClientOptions options);
    ~HttpsClient();

    // `target` is appended to the base URL's prefix, e.g. "/cgi-bin/token?appid=...".
    net::awaitable<HttpsResult> request(http::verb verb, std::string target, std::string body = {},
                                        std::string content_type = "application/json");

    std::size_t open_connections() const { return open_; }
    std::string const& host() const { return host_; }

private:
    struct Connection;
    HttpsClient(net::any_io_executor executor, HttpsClientOptions options);

    net::awaitable<std::unique_ptr<Connection>> acquire(HttpsResult& failure, bool& reused);
    net::awaitable<std::unique_ptr<Connection>> connect(HttpsResult& failure);
    void release(std::unique_ptr<Connection> conn, bool reusable);
    void wake_one_waiter();

    net::any_io_executor executor_;
    HttpsClientOptions options_;
    net::ssl::context tls_{net::ssl::context::tls_client};
    std::string host_;
    std::string port_;
    std::string prefix_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::deque<std::shared_ptr<net::steady_timer>> waiters_;
    std::size_t open_ = 0;
};

}  // namespace bense::server

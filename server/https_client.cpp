// HTTPS client: a small pool of kept-alive TLS connections to one host. The outcome of every
// call is a value: a response, or an error that says whether the request may have arrived.
#include "server/https_client.hpp"

#include "server/errors.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

namespace bense::server {

struct HttpsClient::Connection {
    explicit Connection(net::any_io_executor ex, net::ssl::context& tls) : stream(ex, tls) {}
    beast::ssl_stream<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;
};

namespace {

bool is_ip_address(std::string const& host) {
    error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

error_code classify(error_code ec) {
    return ec == beast::error::timeout ? make_error_code(errc::upstream_timeout)
                                       : make_error_code(errc::upstream_unavailable);
}

}  // namespace

result<std::unique_ptr<HttpsClient>, std::string> HttpsClient::create(net::any_io_executor executor,
                                                                      HttpsClientOptions options) {
    std::unique_ptr<HttpsClient> client(new HttpsClient(std::move(executor), std::move(options)));
    auto const& url = client->options_.base_url;
    constexpr std::string_view kScheme = "https://";
    if (!url.starts_with(kScheme)) {
        return "base URL must start with https://: " + url;
    }
    auto rest = std::string_view(url).substr(kScheme.size());
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    client->prefix_ = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    while (client->prefix_.ends_with('/')) {
        client->prefix_.pop_back();
    }
    auto colon = authority.rfind(':');
    client->host_ = std::string(authority.substr(0, colon));
    client->port_ = colon == std::string_view::npos ? "443" : std::string(authority.substr(colon + 1));
    if (client->host_.empty() || client->port_.empty()) {
        return "base URL has no host: " + url;
    }
    error_code ec;
    client->tls_.set_verify_mode(net::ssl::verify_peer, ec);
    if (client->options_.trust_system_store) {
        client->tls_.set_default_verify_paths(ec);
        if (ec) {
            return "cannot load the system certificate store: " + ec.message();
        }
    }
    if (!client->options_.extra_trusted_pem.empty()) {
        client->tls_.add_certificate_authority(net::buffer(client->options_.extra_trusted_pem), ec);
        if (ec) {
            return "cannot add the extra trusted certificate: " + ec.message();
        }
    }
    return client;
}

HttpsClient::HttpsClient(net::any_io_executor executor, HttpsClientOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {}

HttpsClient::~HttpsClient() = default;

net::awaitable<HttpsResult> HttpsClient::request(http::verb verb, std::string target,
                                                 std::string body, std::string content_type) {
    http::request<http::string_body> req{verb, prefix_ + target, 11};
    req.set(http::field::host, host_);
    req.set(http::field::user_agent, "bense");
    req.keep_alive(true);
    if (!body.empty() || verb == http::verb::post) {
        req.set(http::field::content_type, content_type);
        req.body() = std::move(body);
    }
    req.prepare_payload();

    // A kept-alive connection may have been closed by the peer while idle: if writing to one
    // fails, nothing was delivered, so the request goes once more on a fresh connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
        HttpsResult out;
        bool reused = false;
        auto conn = co_await acquire(out, reused);
        if (!conn) {
            co_return out;
        }
        auto& stream = conn->stream;
        beast::get_lowest_layer(stream).expires_after(options_.request_timeout);
        auto [write_ec, written] = co_await http::async_write(stream, req, use_tuple);
        if (write_ec) {
            release(std::move(conn), false);
            if (reused && attempt == 0) {
                continue;
            }
            out.ec = classify(write_ec);
            out.detail = "write: " + write_ec.message();
            co_return out;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(options_.response_limit_bytes);
        auto [read_ec, read] = co_await http::async_read(stream, conn->buffer, parser, use_tuple);
        if (read_ec) {
            release(std::move(conn), false);
            out.ec = classify(read_ec);
            out.maybe_delivered = true;
            out.detail = "read: " + read_ec.message();
            co_return out;
        }
        auto res = parser.release();
        out.response.status = res.result_int();
        out.response.content_type = std::string(res[http::field::content_type]);
        out.response.body = std::move(res.body());
        release(std::move(conn), res.keep_alive());
        co_return out;
    }
    co_return HttpsResult{make_error_code(errc::upstream_unavailable), false, {}, "no connection"};
}

net::awaitable<std::unique_ptr<HttpsClient::Connection>> HttpsClient::acquire(HttpsResult& failure,
                                                                              bool& reused) {
    auto const deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
    while (true) {
        while (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            if (std::chrono::steady_clock::now() - conn->idle_since < options_.keep_idle) {
                reused = true;
                co_return conn;
            }
            --open_;  // too old: the peer has likely closed it
        }
        if (open_ < options_.max_connections) {
            ++open_;
            auto conn = co_await connect(failure);
            if (!conn) {
                --open_;
                wake_one_waiter();
            }
            co_return conn;
        }
        // Every connection is busy: wait for one to come back, no longer than a connect would.
        auto timer = std::make_shared<net::steady_timer>(executor_, deadline);
        waiters_.push_back(timer);
        auto [ec] = co_await timer->async_wait(use_tuple);
        if (!ec) {
            std::erase(waiters_, timer);
            failure.ec = make_error_code(errc::upstream_timeout);
            failure.detail = "no free connection in time";
            co_return nullptr;
        }
    }
}

net::awaitable<std::unique_ptr<HttpsClient::Connection>> HttpsClient::connect(HttpsResult& failure) {
    auto conn = std::make_unique<Connection>(executor_, tls_);
    tcp::resolver resolver(executor_);
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host_, port_, use_tuple);
    if (resolve_ec) {
        failure.ec = make_error_code(errc::upstream_unavailable);
        failure.detail = "resolve " + host_ + ": " + resolve_ec.message();
        co_return nullptr;
    }
    auto& tcp_layer = beast::get_lowest_layer(conn->stream);
    tcp_layer.expires_after(options_.connect_timeout);
    auto [connect_ec, endpoint] = co_await tcp_layer.async_connect(endpoints, use_tuple);
    if (connect_ec) {
        failure.ec = classify(connect_ec);
        failure.detail = "connect " + host_ + ":" + port_ + ": " + connect_ec.message();
        co_return nullptr;
    }
    error_code ec;
    tcp_layer.socket().set_option(tcp::no_delay(true), ec);
    if (!is_ip_address(host_)) {
        // SNI: the server picks its certificate by the name we ask for.
        SSL_set_tlsext_host_name(conn->stream.native_handle(), host_.c_str());
    }
    conn->stream.set_verify_callback(net::ssl::host_name_verification(host_));
    auto [handshake_ec] = co_await conn->stream.async_handshake(net::ssl::stream_base::client, use_tuple);
    if (handshake_ec) {
        failure.ec = classify(handshake_ec);
        failure.detail = "TLS handshake with " + host_ + ": " + handshake_ec.message();
        co_return nullptr;
    }
    co_return conn;
}

void HttpsClient::release(std::unique_ptr<Connection> conn, bool reusable) {
    if (reusable) {
        conn->idle_since = std::chrono::steady_clock::now();
        idle_.push_back(std::move(conn));
    } else {
        --open_;
        // Closing without a TLS close_notify is fine here: HTTP messages carry their own length.
        error_code ec;
        beast::get_lowest_layer(conn->stream).socket().close(ec);
    }
    wake_one_waiter();
}

void HttpsClient::wake_one_waiter() {
    if (!waiters_.empty()) {
        waiters_.front()->cancel();
        waiters_.pop_front();
    }
}

}  // namespace bense::server

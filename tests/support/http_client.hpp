// A blocking HTTP/1.1 client for tests: one keep-alive connection to the in-process server.
#pragma once

#include "server/net.hpp"

#include <boost/asio/io_context.hpp>

#include <string>
#include <utility>
#include <vector>

namespace bense::test {

using Headers = std::vector<std::pair<std::string, std::string>>;
using HttpResponse = http::response<http::string_body>;

class HttpClient {
public:
    explicit HttpClient(std::uint16_t port);

    HttpResponse request(http::verb verb, std::string const& target, std::string body = {},
                         Headers const& headers = {});
    HttpResponse get(std::string const& target, Headers const& headers = {}) {
        return request(http::verb::get, target, {}, headers);
    }
    HttpResponse post(std::string const& target, std::string body, Headers const& headers = {}) {
        return request(http::verb::post, target, std::move(body), headers);
    }

    // Raw access for pipelining and slow-client tests.
    void write_raw(std::string const& bytes);
    HttpResponse read_response();
    // True when the server has closed the connection (reads EOF within the deadline).
    bool closed_by_peer(std::chrono::milliseconds within);

private:
    net::io_context ioc_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
    std::uint16_t port_;
};

}  // namespace bense::test

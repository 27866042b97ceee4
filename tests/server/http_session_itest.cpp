// The connection coroutine over real sockets: keep-alive, pipelining, limits, timeouts and
// the error envelope for every request it cannot serve.
#include "server/http_session.hpp"

#include "server/json.hpp"
#include "server/response.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

#include <catch2/catch.hpp>

using namespace bense;
using namespace bense::server;
using test::HttpClient;

namespace {

net::awaitable<Response> echo_json(Request& req) {
    auto doc = read_json_object(req);
    if (!doc) {
        co_return std::move(doc.error());
    }
    co_return json_response(http::status::ok, std::string(req.msg.body()));
}

net::awaitable<Response> throws(Request&) {
    throw std::runtime_error("a bug");
    co_return Response{};
}

void add_test_routes(Router& r) {
    r.add({http::verb::post, "/test/echo", echo_json, {}, 1024});
    r.add({http::verb::get, "/test/throws", throws});
}

rapidjson::Document parse(std::string const& body) {
    auto doc = parse_json(body);
    REQUIRE(doc.has_value());
    return std::move(*doc);
}

void check_envelope(test::HttpResponse const& res, unsigned status, std::string_view code) {
    CHECK(res.result_int() == status);
    CHECK(res[http::field::content_type] == "application/json; charset=utf-8");
    auto doc = parse(res.body());
    REQUIRE(doc.HasMember("error"));
    CHECK(doc["error"]["code"].GetString() == std::string(code));
    CHECK(std::string(doc["error"]["message"].GetString()).size() > 0);
}

}  // namespace

TEST_CASE("keep-alive serves several requests on one connection", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    for (int i = 0; i < 3; ++i) {
        auto res = client.get("/livez");
        CHECK(res.result_int() == 200);
        CHECK(res.keep_alive());
        CHECK(res.body() == "ok\n");
    }
}

TEST_CASE("pipelined requests are answered in order", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    client.write_raw(
        "GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
        "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(client.read_response().body() == "ok\n");
    CHECK(client.read_response().body() == "{\"a\":1}");
    CHECK(client.read_response().result_int() == 404);
}

TEST_CASE("an oversized body gets 413 and the connection closes", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    auto res = client.post("/test/echo", "{\"x\":\"" + std::string(2000, 'a') + "\"}");
    check_envelope(res, 413, "request.too_large");
    CHECK_FALSE(res.keep_alive());
}

TEST_CASE("the server-wide body limit applies to routes without their own", "[http]") {
    test::TestServer server({.configure = [](Config& c) { c.server.body_limit_bytes = 16; },
                             .add_routes = add_test_routes});
    HttpClient client(server.port());
    check_envelope(client.request(http::verb::get, "/livez", std::string(100, 'x')), 413,
                   "request.too_large");
}

TEST_CASE("bad JSON gets a 400 envelope", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    check_envelope(client.post("/test/echo", "{not json"), 400, "request.bad_json");
    check_envelope(client.post("/test/echo", "[1,2]"), 400, "request.bad_json");
    check_envelope(client.post("/test/echo", "{\"a\":\"\xff\"}"), 400, "request.bad_json");
    CHECK(client.post("/test/echo", "{\"a\":\"签到\"}").result_int() == 200);  // still alive
}

TEST_CASE("unknown routes get 404 and wrong methods 405", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    check_envelope(client.get("/no/such/route"), 404, "route.not_found");
    check_envelope(client.request(http::verb::delete_, "/livez"), 405, "route.method_not_allowed");
}

TEST_CASE("a header over the limit gets 431", "[http]") {
    test::TestServer server({.configure = [](Config& c) { c.server.header_limit_bytes = 1024; },
                             .add_routes = add_test_routes});
    HttpClient client(server.port());
    check_envelope(client.get("/livez", {{"X-Big", std::string(4000, 'b')}}), 431,
                   "request.header_too_large");
}

TEST_CASE("garbage instead of HTTP gets 400 and a close", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    client.write_raw("HELLO THERE\r\n\r\n");
    check_envelope(client.read_response(), 400, "request.bad");
}

TEST_CASE("a slow client is cut off by the read timeout", "[http]") {
    test::TestServer server({.configure = [](Config& c) { c.server.read_timeout = std::chrono::milliseconds(200); },
                             .add_routes = add_test_routes});
    HttpClient client(server.port());
    client.write_raw("GET /livez HTTP/1.1\r\nHo");  // and then nothing
    CHECK(client.closed_by_peer(std::chrono::seconds(3)));
    HttpClient other(server.port());  // the server is unharmed
    CHECK(other.get("/livez").result_int() == 200);
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout", "[http]") {
    test::TestServer server({.configure = [](Config& c) { c.server.idle_timeout = std::chrono::milliseconds(200); },
                             .add_routes = add_test_routes});
    HttpClient client(server.port());
    CHECK(client.get("/livez").result_int() == 200);
    CHECK(client.closed_by_peer(std::chrono::seconds(3)));
}

TEST_CASE("a handler that throws gets a 500 envelope and the server lives on", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    check_envelope(client.get("/test/throws"), 500, "server.internal");
    CHECK(client.get("/livez").result_int() == 200);
    auto metrics = client.get("/metrics").body();
    CHECK(metrics.find("bense_handler_exceptions_total 1") != std::string::npos);
}

TEST_CASE("connections past the limit get 503 server.busy", "[http]") {
    test::TestServer server({.configure = [](Config& c) {
                                 c.server.max_connections = 2;
                                 c.server.threads = 1;
                             },
                             .add_routes = add_test_routes});
    HttpClient a(server.port());
    HttpClient b(server.port());
    CHECK(a.get("/livez").result_int() == 200);
    CHECK(b.get("/livez").result_int() == 200);
    HttpClient c(server.port());
    check_envelope(c.read_response(), 503, "server.busy");
}

TEST_CASE("a chunked body over the limit gets 413", "[http]") {
    test::TestServer server({.add_routes = add_test_routes});
    HttpClient client(server.port());
    std::string chunk(600, 'a');
    client.write_raw("POST /test/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
    check_envelope(client.read_response(), 413, "request.too_large");
}

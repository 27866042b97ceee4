#include "server/metrics.hpp"

#include <catch2/catch.hpp>

using namespace bense::server;

TEST_CASE("metrics sum shards and render Prometheus text", "[metrics]") {
    Metrics m(2);
    m.describe("bense_http_requests_total", "counter", "HTTP requests.");
    m.describe("bense_http_request_duration_seconds", "histogram", "Latency.");
    m.shard(0).add("bense_http_requests_total{route=\"/a\",status=\"200\"}");
    m.shard(1).add("bense_http_requests_total{route=\"/a\",status=\"200\"}", 2);
    m.shard(1).observe("bense_http_request_duration_seconds{route=\"/a\"}", 0.0007);
    m.shard(0).observe("bense_http_request_duration_seconds{route=\"/a\"}", 2.0);
    m.gauge_fn("bense_open", [] { return 5.0; });
    auto text = m.render();
    CHECK(text.find("# TYPE bense_http_requests_total counter\n") != std::string::npos);
    CHECK(text.find("bense_http_requests_total{route=\"/a\",status=\"200\"} 3\n") != std::string::npos);
    CHECK(text.find("bense_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.0005\"} 0\n") != std::string::npos);
    CHECK(text.find("bense_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.001\"} 1\n") != std::string::npos);
    CHECK(text.find("bense_http_request_duration_seconds_bucket{route=\"/a\",le=\"5\"} 2\n") != std::string::npos);
    CHECK(text.find("bense_http_request_duration_seconds_bucket{route=\"/a\",le=\"+Inf\"} 2\n") != std::string::npos);
    CHECK(text.find("bense_http_request_duration_seconds_count{route=\"/a\"} 2\n") != std::string::npos);
    CHECK(text.find("bense_open 5\n") != std::string::npos);
}

TEST_CASE("metric labels are escaped", "[metrics]") {
    CHECK(metric_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("a series is named with its labels in order, each value escaped", "[metrics]") {
    CHECK(metric_series("bense_x_total", {{"route", "/a"}, {"status", "200"}}) ==
          "bense_x_total{route=\"/a\",status=\"200\"}");
    CHECK(metric_series("bense_x_total", {{"reason", "say \"hi\"\n"}}) == "bense_x_total{reason=\"say \\\"hi\\\"\\n\"}");
    CHECK(metric_series("bense_x_total", {{"route", ""}}) == "bense_x_total{route=\"\"}");
}

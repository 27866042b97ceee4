// Metrics in Prometheus text format. Each worker thread writes only its own shard; /metrics
// sums the shards when it renders. Series are named by their full text (`name{labels}`).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bense::server {

// Upper bounds of the latency histogram, in seconds.
inline constexpr std::array<double, 12> kLatencyBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
    void observe(double v);
};

class MetricsShard {
public:
    void add(std::string const& series, double v = 1);
    void observe(std::string const& series, double seconds);

private:
    friend class Metrics;
    mutable std::mutex mutex_;  // uncontended: only /metrics reads from another thread
    std::map<std::string, double, std::less<>> counters_;
    std::map<std::string, Histogram, std::less<>> histograms_;
};

class Metrics {
public:
    explicit Metrics(std::size_t shards);

    MetricsShard& shard(std::size_t i) { return *shards_.at(i); }
    std::size_t shard_count() const { return shards_.size(); }

    // HELP and TYPE lines for a family ("counter", "gauge", "histogram").
    void describe(std::string name, std::string type, std::string help);
    // A value computed when /metrics is read (open connections, Redis counters).
    void gauge_fn(std::string series, std::function<double()> read);

    std::string render() const;

private:
    struct Family {
        std::string type;
        std::string help;
    };
    std::vector<std::unique_ptr<MetricsShard>> shards_;
    std::map<std::string, Family, std::less<>> families_;
    std::vector<std::pair<std::string, std::function<double()>>> gauges_;
};

// Escapes a label value for the text format.
std::string metric_label(std::string_view value);
// metric{name="value",...}, the values escaped: a series' full name. Plain appends, no
// format string: it runs for every request.
std::string metric_series(std::string_view metric,
                          std::initializer_list<std::pair<std::string_view, std::string_view>> labels);

}  // namespace bense::server

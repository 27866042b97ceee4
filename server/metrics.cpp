// Prometheus text rendering: families sorted by name, HELP/TYPE first, histograms cumulative.
#include "server/metrics.hpp"

#include <fmt/format.h>

namespace bense::server {
namespace {

// Appends `value` escaped as a label value of the text format.
void append_label(std::string& out, std::string_view value) {
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

std::string_view family_of(std::string_view series) { return series.substr(0, series.find('{')); }

// `name{a="b"}` + suffix + extra label -> `name_suffix{a="b",le="0.1"}`
std::string with_suffix(std::string_view series, std::string_view suffix, std::string_view label) {
    auto brace = series.find('{');
    std::string out(series.substr(0, brace));
    out += suffix;
    std::string labels;
    if (brace != std::string_view::npos) {
        labels = std::string(series.substr(brace + 1, series.size() - brace - 2));
    }
    if (!label.empty()) {
        labels += labels.empty() ? "" : ",";
        labels += label;
    }
    if (!labels.empty()) {
        out += "{" + labels + "}";
    }
    return out;
}

}  // namespace

void Histogram::observe(double v) {
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        if (v <= kLatencyBuckets[i]) {
            ++buckets[i];
            break;
        }
    }
    ++count;
    sum += v;
}

void MetricsShard::add(std::string const& series, double v) {
    std::lock_guard lock(mutex_);
    counters_[series] += v;
}

void MetricsShard::observe(std::string const& series, double seconds) {
    std::lock_guard lock(mutex_);
    histograms_[series].observe(seconds);
}

Metrics::Metrics(std::size_t shards) {
    for (std::size_t i = 0; i < shards; ++i) {
        shards_.push_back(std::make_unique<MetricsShard>());
    }
}

void Metrics::describe(std::string name, std::string type, std::string help) {
    families_[std::move(name)] = Family{std::move(type), std::move(help)};
}

void Metrics::gauge_fn(std::string series, std::function<double()> read) {
    gauges_.emplace_back(std::move(series), std::move(read));
}

std::string Metrics::render() const {
    std::map<std::string, double, std::less<>> values;
    std::map<std::string, Histogram, std::less<>> histograms;
    for (auto const& shard : shards_) {
        std::lock_guard lock(shard->mutex_);
        for (auto const& [series, v] : shard->counters_) {
            values[series] += v;
        }
        for (auto const& [series, h] : shard->histograms_) {
            auto& total = histograms[series];
            for (std::size_t i = 0; i < h.buckets.size(); ++i) {
                total.buckets[i] += h.buckets[i];
            }
            total.count += h.count;
            total.sum += h.sum;
        }
    }
    for (auto const& [series, read] : gauges_) {
        values[series] = read();
    }

    // Group every series under its family so HELP/TYPE come once, before the samples.
    std::map<std::string, std::string, std::less<>> by_family;
    for (auto const& [series, v] : values) {
        by_family[std::string(family_of(series))] += fmt::format("{} {}\n", series, v);
    }
    for (auto const& [series, h] : histograms) {
        auto& out = by_family[std::string(family_of(series))];
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < h.buckets.size(); ++i) {
            cumulative += h.buckets[i];
            out += fmt::format("{} {}\n",
                               with_suffix(series, "_bucket", fmt::format("le=\"{}\"", kLatencyBuckets[i])),
                               cumulative);
        }
        out += fmt::format("{} {}\n", with_suffix(series, "_bucket", "le=\"+Inf\""), h.count);
        out += fmt::format("{} {}\n", with_suffix(series, "_sum", ""), h.sum);
        out += fmt::format("{} {}\n", with_suffix(series, "_count", ""), h.count);
    }
    std::string out;
    for (auto const& [family, samples] : by_family) {
        if (auto it = families_.find(family); it != families_.end()) {
            out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", family, it->second.help, family,
                               it->second.type);
        }
        out += samples;
    }
    return out;
}

std::string metric_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    append_label(out, value);
    return out;
}

std::string metric_series(std::string_view metric,
                          std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
    std::string out;
    out.reserve(metric.size() + 64);
    out += metric;
    char sep = '{';
    for (auto const& [name, value] : labels) {
        out += sep;
        out += name;
        out += "=\"";
        append_label(out, value);
        out += '"';
        sep = ',';
    }
    out += '}';
    return out;
}

}  // namespace bense::server

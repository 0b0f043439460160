#include "calrt/core/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace calrt {
namespace {

// `{a="1",b="2"}` with values escaped as the exposition format requires; empty for no labels.
std::string render_labels(const MetricLabels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i) out += ',';
        out += labels[i].first;
        out += "=\"";
        for (char c : labels[i].second) {
            if (c == '\\' || c == '"') {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
        out += '"';
    }
    out += '}';
    return out;
}

std::string with_label(const std::string& rendered, std::string_view extra) {
    if (rendered.empty()) return "{" + std::string(extra) + "}";
    return rendered.substr(0, rendered.size() - 1) + "," + std::string(extra) + "}";
}

std::string format_number(double value) {
    // Shortest text that reads back as the same double.
    char buffer[40];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size())) {
    std::sort(bounds_.begin(), bounds_.end());
}

void Histogram::observe(double value) noexcept {
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
    if (it != bounds_.end()) {
        buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    }
    sum_.fetch_add(value, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        out[i] = running;
    }
    out.back() = std::max(running, count());
    return out;
}

std::vector<double> default_latency_buckets() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help, Type type) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), Family{type, std::string(help), {}, {}, {}}).first;
    } else if (it->second.type != type) {
        // Registering one name as two types is a programming error.
        throw std::logic_error("metric " + std::string(name) + " registered with two types");
    }
    return it->second;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, const MetricLabels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, Type::counter).counters[render_labels(labels)];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const MetricLabels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, Type::gauge).gauges[render_labels(labels)];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                                      std::vector<double> upper_bounds) {
    std::lock_guard lock(mutex_);
    auto& slot = family(name, help, Type::histogram).histograms[render_labels(labels)];
    if (!slot) slot = std::make_unique<Histogram>(std::move(upper_bounds));
    return *slot;
}

std::string MetricsRegistry::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, family] : families_) {
        out += "# HELP " + name + " " + family.help + "\n";
        switch (family.type) {
            case Type::counter:
                out += "# TYPE " + name + " counter\n";
                for (const auto& [labels, c] : family.counters) {
                    out += name + labels + " " + std::to_string(c->value()) + "\n";
                }
                break;
            case Type::gauge:
                out += "# TYPE " + name + " gauge\n";
                for (const auto& [labels, g] : family.gauges) {
                    out += name + labels + " " + format_number(g->value()) + "\n";
                }
                break;
            case Type::histogram:
                out += "# TYPE " + name + " histogram\n";
                for (const auto& [labels, h] : family.histograms) {
                    const auto counts = h->cumulative_counts();
                    const auto& bounds = h->upper_bounds();
                    for (std::size_t i = 0; i < bounds.size(); ++i) {
                        out += name + "_bucket" + with_label(labels, "le=\"" + format_number(bounds[i]) + "\"") +
                               " " + std::to_string(counts[i]) + "\n";
                    }
                    out += name + "_bucket" + with_label(labels, "le=\"+Inf\"") + " " +
                           std::to_string(counts.back()) + "\n";
                    out += name + "_sum" + labels + " " + format_number(h->sum()) + "\n";
                    out += name + "_count" + labels + " " + std::to_string(h->count()) + "\n";
                }
                break;
        }
    }
    return out;
}

}  // namespace calrt

#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format (version 0.0.4). Metric objects live as long as the registry and are safe to
// update from any thread; callers on hot paths keep the reference they got.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void inc(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

class Gauge {
public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double by) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    void inc() noexcept { add(1); }
    void dec() noexcept { add(-1); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double value) noexcept;

    const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
    // Cumulative count of observations <= each bound, then the total count.
    std::vector<std::uint64_t> cumulative_counts() const;
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
    std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bound, not cumulative
    std::atomic<double> sum_{0};
    std::atomic<std::uint64_t> count_{0};
};

// Latency buckets in seconds, 100 µs to 10 s.
std::vector<double> default_latency_buckets();

class MetricsRegistry {
public:
    MetricsRegistry() = default;
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
    Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
    Histogram& histogram(std::string_view name, std::string_view help, const MetricLabels& labels = {},
                         std::vector<double> upper_bounds = default_latency_buckets());

    // The whole registry in Prometheus text format.
    std::string render() const;

private:
    enum class Type { counter, gauge, histogram };
    struct Family {
        Type type;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;  // keyed by rendered label set
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
    };
    Family& family(std::string_view name, std::string_view help, Type type);

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
};

}  // namespace calrt

#include "calrt/core/metrics.hpp"

#include <gtest/gtest.h>

namespace calrt {
namespace {

TEST(Metrics, CountersRenderInPrometheusTextFormat) {
    MetricsRegistry registry;
    registry.counter("requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).inc(3);
    registry.counter("requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).inc();
    const std::string text = registry.render();
    EXPECT_NE(text.find("# HELP requests_total Requests\n# TYPE requests_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("requests_total{route=\"/a\",status=\"200\"} 4\n"), std::string::npos) << text;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
    MetricsRegistry registry;
    auto& h = registry.histogram("latency_seconds", "Latency", {{"route", "/a"}}, {0.1, 1.0});
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    const std::string text = registry.render();
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/a\",le=\"0.1\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/a\",le=\"1\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_count{route=\"/a\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_sum{route=\"/a\"} 5.55\n"), std::string::npos) << text;
}

TEST(Metrics, LabelValuesAreEscaped) {
    MetricsRegistry registry;
    registry.gauge("g", "G", {{"k", "a\"b\\c"}}).set(2);
    EXPECT_NE(registry.render().find("g{k=\"a\\\"b\\\\c\"} 2\n"), std::string::npos) << registry.render();
}

TEST(Metrics, OneNameCannotHaveTwoTypes) {
    MetricsRegistry registry;
    registry.counter("x", "X");
    EXPECT_THROW(registry.gauge("x", "X"), std::logic_error);
}

}  // namespace
}  // namespace calrt

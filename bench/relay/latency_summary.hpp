#pragma once
// Percentiles of a benchmark's samples, in milliseconds, for its BENCH line.

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace calrt::bench {

struct LatencySummary {
    std::size_t count = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    double max_ms = 0;
};

// Nearest-rank percentiles of `samples_ms` (sorted here).
inline LatencySummary summarize(std::vector<double> samples_ms) {
    LatencySummary summary;
    summary.count = samples_ms.size();
    if (samples_ms.empty()) return summary;
    std::sort(samples_ms.begin(), samples_ms.end());
    const auto rank = [&](double fraction) {
        const auto index = static_cast<std::size_t>(fraction * static_cast<double>(samples_ms.size() - 1) + 0.5);
        return samples_ms[std::min(index, samples_ms.size() - 1)];
    };
    summary.p50_ms = rank(0.50);
    summary.p99_ms = rank(0.99);
    summary.max_ms = samples_ms.back();
    return summary;
}

}  // namespace calrt::bench

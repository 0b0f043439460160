#pragma once
// The faults tests have queued, matched by path prefix (and method) in the order they were added.
// Thread-safe: tests inject from their own thread while the server runs.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_calendly/fault_plan.hpp"

namespace calrt::testing::fake {

class FaultInjector {
  public:
    void add(std::string path_prefix, FaultPlan plan);
    // The plan that answers this request, using up one of its `times`; nullopt: answer normally.
    std::optional<FaultPlan> take(std::string_view method, std::string_view path);
    void clear();

  private:
    struct Entry {
        std::string path_prefix;
        FaultPlan plan;
    };
    std::mutex mutex_;
    std::vector<Entry> entries_;
};

}  // namespace calrt::testing::fake

#pragma once
// Identifiers in the shapes Calendly uses: UUIDs for resources, "abcd-brv8" for scheduling links.

#include <mutex>
#include <random>
#include <string>

namespace calrt::testing::fake {

class ResourceIds {
  public:
    // A fixed seed gives the same identifiers on every run (the seeded data); none, random ones.
    ResourceIds();
    explicit ResourceIds(std::uint64_t seed);

    std::string uuid();              // "5b8f0c2e-9d1a-4c3b-8e7f-1a2b3c4d5e6f"
    std::string link_id();           // "k3q9-x2mf"
    std::string hex(std::size_t n);  // n lowercase hex digits

  private:
    std::mutex mutex_;
    std::mt19937_64 engine_;
};

}  // namespace calrt::testing::fake

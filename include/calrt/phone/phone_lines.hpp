#pragma once
// How many phone calls this replica holds at once (PHONE_MAX_CALLS): each accepted call keeps a
// Realtime session billed by the minute and a sideband connection here, so a burst of calls past
// the limit is rejected with 486 Busy Here instead of being accepted and served badly.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_set>

namespace calrt::phone {

class PhoneLines {
  public:
    explicit PhoneLines(std::size_t max_calls) : max_calls_(max_calls) {}

    // Takes a line for `call_id`; false when every line is taken (or max_calls is 0: phone calls
    // are off). Taking a line the call already holds is true and takes no other.
    bool take(const std::string& call_id);
    // Frees the call's line (it was rejected after all, failed to be accepted, or ended).
    void release(const std::string& call_id);
    std::size_t in_use() const;
    std::size_t max_calls() const noexcept { return max_calls_; }

  private:
    mutable std::mutex mutex_;
    const std::size_t max_calls_;
    std::unordered_set<std::string> calls_;
};

}  // namespace calrt::phone

#pragma once
// At most N of something per UTC day, for the whole process: bookings and scheduling links, which
// send email to whatever address a person (or a prompt-injected assistant) gives, so the host's
// calendar cannot become a channel for mail to third parties (review item L11). Per-conversation
// and per-address limits do not bound that across many conversations; this does. Thread-safe.

#include "calrt/core/time.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace calrt {

class DailyBudget {
public:
    DailyBudget(std::size_t per_day, const Clock& clock) : per_day_(per_day), clock_(clock) {}

    struct Decision {
        bool allowed = true;
        std::chrono::seconds retry_after{0};  // when refused: until the next UTC midnight
    };

    // Uses one unit of today's budget, when any is left.
    Decision take();
    // Gives back a unit taken today whose action did not happen (the call to Calendly failed).
    void give_back();
    std::size_t per_day() const noexcept { return per_day_; }

private:
    void roll_over(std::int64_t today);

    const std::size_t per_day_;
    const Clock& clock_;
    std::mutex mutex_;
    std::int64_t day_ = -1;  // days since the epoch, UTC
    std::size_t used_ = 0;
};

}  // namespace calrt

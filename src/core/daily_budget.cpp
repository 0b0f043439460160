#include "calrt/core/daily_budget.hpp"

#include "calrt/core/utc_day.hpp"

namespace calrt {

void DailyBudget::roll_over(std::int64_t today) {
    if (today != day_) {
        day_ = today;
        used_ = 0;
    }
}

DailyBudget::Decision DailyBudget::take() {
    const Timestamp now = clock_.now();
    std::lock_guard lock(mutex_);
    roll_over(utc_day(now));
    if (used_ < per_day_) {
        ++used_;
        return {};
    }
    return Decision{false, until_next_utc_midnight(now)};
}

void DailyBudget::give_back() {
    const Timestamp now = clock_.now();
    std::lock_guard lock(mutex_);
    roll_over(utc_day(now));
    if (used_ > 0) --used_;
}

}  // namespace calrt

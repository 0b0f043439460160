#include "calrt/core/daily_budget.hpp"

namespace calrt {
namespace {

std::int64_t day_of(Timestamp t) {
    return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count();
}

}  // namespace

void DailyBudget::roll_over(std::int64_t today) {
    if (today != day_) {
        day_ = today;
        used_ = 0;
    }
}

DailyBudget::Decision DailyBudget::take() {
    const Timestamp now = clock_.now();
    std::lock_guard lock(mutex_);
    roll_over(day_of(now));
    if (used_ < per_day_) {
        ++used_;
        return {};
    }
    const auto next_midnight = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1);
    const auto wait = std::chrono::ceil<std::chrono::seconds>(next_midnight - now);
    return Decision{false, std::max(wait, std::chrono::seconds(1))};
}

void DailyBudget::give_back() {
    const Timestamp now = clock_.now();
    std::lock_guard lock(mutex_);
    roll_over(day_of(now));
    if (used_ > 0) --used_;
}

}  // namespace calrt

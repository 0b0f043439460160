#include "testing/fake_calendly/fault_injector.hpp"

namespace calrt::testing {

FaultPlan FaultPlan::error(unsigned status, std::size_t times) {
    FaultPlan plan;
    plan.status = status;
    plan.times = times;
    return plan;
}

FaultPlan FaultPlan::rate_limited(std::chrono::seconds reset_after, std::size_t times) {
    FaultPlan plan = error(429, times);
    plan.reset_after = reset_after;
    return plan;
}

FaultPlan FaultPlan::bad_request(std::vector<CalendlyErrorDetail> details, std::size_t times) {
    FaultPlan plan = error(400, times);
    plan.details = std::move(details);
    return plan;
}

FaultPlan FaultPlan::hang(std::size_t times) {
    FaultPlan plan;
    plan.action = Action::hang;
    plan.times = times;
    return plan;
}

FaultPlan FaultPlan::delayed(std::chrono::milliseconds delay_for, std::size_t times) {
    FaultPlan plan;
    plan.action = Action::delay;
    plan.delay_for = delay_for;
    plan.times = times;
    return plan;
}

FaultPlan FaultPlan::drop_after_processing(std::size_t times) {
    FaultPlan plan;
    plan.action = Action::drop_after_processing;
    plan.times = times;
    return plan;
}

FaultPlan FaultPlan::stuck_pagination(bool empty_page, std::size_t times) {
    FaultPlan plan;
    plan.action = Action::stuck_pagination;
    plan.empty_page = empty_page;
    plan.times = times;
    return plan;
}

namespace fake {

void FaultInjector::add(std::string path_prefix, FaultPlan plan) {
    if (plan.times == 0) return;
    std::lock_guard lock(mutex_);
    entries_.push_back({std::move(path_prefix), std::move(plan)});
}

std::optional<FaultPlan> FaultInjector::take(std::string_view method, std::string_view path) {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (path.substr(0, it->path_prefix.size()) != it->path_prefix) continue;
        if (!it->plan.method.empty() && it->plan.method != method) continue;
        FaultPlan plan = it->plan;
        if (--it->plan.times == 0) entries_.erase(it);
        return plan;
    }
    return std::nullopt;
}

void FaultInjector::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

}  // namespace fake
}  // namespace calrt::testing

#include "calrt/core/readiness.hpp"

namespace calrt {

void Readiness::set(std::string_view component, bool ready, std::string detail) {
    std::lock_guard lock(mutex_);
    auto it = checks_.find(component);
    if (it == checks_.end()) it = checks_.emplace(std::string(component), Check{}).first;
    it->second = Check{ready, std::move(detail)};
}

bool Readiness::all_ready() const {
    std::lock_guard lock(mutex_);
    if (checks_.empty()) return false;
    for (const auto& [name, check] : checks_) {
        if (!check.ready) return false;
    }
    return true;
}

std::map<std::string, Readiness::Check> Readiness::checks() const {
    std::lock_guard lock(mutex_);
    return {checks_.begin(), checks_.end()};
}

}  // namespace calrt

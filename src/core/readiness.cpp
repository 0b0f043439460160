#include "calrt/core/readiness.hpp"

namespace calrt {

void Readiness::set(std::string_view component, bool ready, std::string detail) {
    std::lock_guard lock(mutex_);
    auto it = checks_.find(component);
    if (it == checks_.end()) it = checks_.emplace(std::string(component), Check{}).first;
    it->second = Check{ready, std::move(detail)};
}

void Readiness::watch(std::string_view component, std::function<Check()> check) {
    std::lock_guard lock(mutex_);
    watched_.insert_or_assign(std::string(component), std::move(check));
}

bool Readiness::all_ready() const {
    const auto all = checks();
    if (all.empty()) return false;
    for (const auto& [name, check] : all) {
        if (!check.ready) return false;
    }
    return true;
}

std::map<std::string, Readiness::Check> Readiness::checks() const {
    std::lock_guard lock(mutex_);
    std::map<std::string, Check> all(checks_.begin(), checks_.end());
    for (const auto& [name, check] : watched_) all.insert_or_assign(name, check());
    return all;
}

}  // namespace calrt

#include "calrt/phone/phone_lines.hpp"

namespace calrt::phone {

bool PhoneLines::take(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    if (calls_.contains(call_id)) return true;
    if (calls_.size() >= max_calls_) return false;
    calls_.insert(call_id);
    return true;
}

void PhoneLines::release(const std::string& call_id) {
    std::lock_guard lock(mutex_);
    calls_.erase(call_id);
}

std::size_t PhoneLines::in_use() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

}  // namespace calrt::phone

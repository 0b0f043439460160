#include "calrt/tools/slots_seen_open.hpp"

namespace calrt::tools {

void SlotsSeenOpen::remember(std::string_view event_type_uri,
                             const std::vector<calendly::AvailableTime>& slots, Timestamp seen_at) {
    Seen seen{seen_at, {}};
    for (const auto& slot : slots) seen.starts.insert(slot.start_time);
    const std::lock_guard lock(mutex_);
    by_type_.insert_or_assign(std::string(event_type_uri), std::move(seen));
}

bool SlotsSeenOpen::seen_open(std::string_view event_type_uri, Timestamp start, Timestamp now) const {
    const std::lock_guard lock(mutex_);
    const auto found = by_type_.find(event_type_uri);
    if (found == by_type_.end()) return false;
    const auto age = now - found->second.at;
    return age >= Timestamp::duration::zero() && age <= fresh_for_ && found->second.starts.contains(start);
}

}  // namespace calrt::tools

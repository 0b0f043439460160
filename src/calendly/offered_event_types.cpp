#include "calrt/calendly/offered_event_types.hpp"

#include "calrt/calendly/resource_uri.hpp"

namespace calrt::calendly {

bool is_offered(const EventType& type) noexcept { return type.active && !type.secret; }

std::vector<EventType> offered_event_types(const std::vector<EventType>& types) {
    std::vector<EventType> offered;
    for (const auto& type : types) {
        if (is_offered(type)) offered.push_back(type);
    }
    return offered;
}

const EventType* find_offered_event_type(const std::vector<EventType>& types, std::string_view uuid) {
    for (const auto& type : types) {
        if (is_offered(type) && (type.uri == uuid || uuid_from_uri(type.uri) == uuid)) return &type;
    }
    return nullptr;
}

}  // namespace calrt::calendly

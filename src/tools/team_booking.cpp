#include "team_booking.hpp"

#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/organization_directory.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/logging.hpp"

#include <algorithm>

namespace calrt::tools {

boost::asio::awaitable<AssignedHosts> assigned_hosts(CalendlyToolContext& context, const calendly::Invitee& invitee) {
    AssignedHosts assigned;
    if (!context.team) co_return assigned;
    const auto uuid = calendly::uuid_from_uri(invitee.event);
    if (!uuid) co_return assigned;
    auto event = co_await context.calendly.scheduled_event(*uuid);
    if (!event) {
        log::warn("the booked meeting's hosts could not be read", {{"event", invitee.event}, {"code", event.error().code}});
        co_return assigned;
    }
    for (const auto& membership : event->event_memberships) {
        assigned.uris.push_back(membership.user);
        if (membership.user_name && !membership.user_name->empty()) assigned.names.push_back(*membership.user_name);
    }
    co_return assigned;
}

bool team_type_refused(const calendly::EventType& type, const Error& error) {
    if (!calendly::is_team_type(type) || !calendly::nothing_was_written(error)) return false;
    if (error.code == "calendly_permission_denied") return true;
    if (error.kind != ErrorKind::invalid_argument) return false;
    return std::none_of(error.details.begin(), error.details.end(),
                        [](const ErrorDetail& detail) { return detail.parameter == "start_time"; });
}

}  // namespace calrt::tools

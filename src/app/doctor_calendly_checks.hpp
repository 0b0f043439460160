#pragma once
// The parts of `doctor`'s Calendly check that need the host user first (doctor_checks_calendly.cpp
// runs them in order).

#include "doctor_checks.hpp"

#include "calrt/calendly/models.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace calrt::app {

// One line per active event type of the host: booked directly by the assistant, or only by link
// and why (calendly::booking_requirements), or never offered (secret). Returns the types the
// assistant offers (active, not secret); FAIL when it cannot read them or there are none.
boost::asio::awaitable<std::vector<calendly::EventType>> check_event_types(DoctorContext& context,
                                                                           const std::string& host_uri);

// Open times can be read for `type` (GET /event_type_available_times over the next day).
boost::asio::awaitable<void> check_availability(DoctorContext& context, const calendly::EventType& type);

// One host or the organization, as the service decides it (CALENDLY_SCOPE, or the token's role
// and the organization's size): true for organization mode.
boost::asio::awaitable<bool> check_scope(DoctorContext& context, const calendly::User& user);

// A webhook subscription delivers invitee.created and invitee.canceled to
// PUBLIC_BASE_URL/api/calendly/webhook and is active; in organization mode an organization-scope
// one (a user-scope subscription sees the token user's bookings only).
boost::asio::awaitable<void> check_webhook_subscription(DoctorContext& context, const std::string& host_uri,
                                                        const std::string& organization_uri,
                                                        bool organization_mode = false);

}  // namespace calrt::app

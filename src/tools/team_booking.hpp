#pragma once
// What book_meeting does differently for an organization's types: naming the hosts Calendly
// assigned, and recognising a team type Calendly will not book directly. Private to tools/.

#include "calrt/calendly/models.hpp"
#include "calrt/core/error.hpp"
#include "calrt/tools/calendly_tools.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace calrt::tools {

// Who Calendly assigned: the scheduled event's event_memberships (a round robin picks one host,
// a collective has them all). Their names for the person, their URIs for the per-host cap; never
// their emails.
struct AssignedHosts {
    std::vector<std::string> names;
    std::vector<std::string> uris;
};

// One more call (GET /scheduled_events/{uuid}), made in organization mode only; empty outside it,
// and when the call fails (the booking still stands; the failure is logged).
boost::asio::awaitable<AssignedHosts> assigned_hosts(CalendlyToolContext& context, const calendly::Invitee& invitee);

// Calendly refused to book a team type directly for a reason other than the slot: a 403, or a 400
// not about start_time. The reference documents no rule either way for round robin and collective
// types, so its single-use link books it instead, on Calendly's own page.
bool team_type_refused(const calendly::EventType& type, const Error& error);

}  // namespace calrt::tools

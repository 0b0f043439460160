#pragma once
// The instructions the Realtime model gets in session.update (set by the server, never by the
// browser): who the host is, today's date, how to use the booking tools, and to confirm details
// before booking anything.

#include <string>
#include <string_view>

#include "calrt/core/time.hpp"

namespace calrt::realtime {

// `host_name` may be empty (Calendly unreachable): the instructions then say "the host".
// `person_time_zone`: the person's IANA zone as their browser gave it (already validated), so the
// assistant uses it instead of asking; empty: the assistant asks for it.
std::string assistant_instructions(std::string_view host_name, Timestamp now,
                                   std::string_view person_time_zone = {});

// Appended when invitees may manage their bookings here (tools/self_service_tools.hpp): prove the
// email first, say nothing about bookings before that, and read every change back for a yes.
std::string self_service_instructions();

// Organization mode: several people host, some types are round robin or collective.
std::string team_instructions();

}  // namespace calrt::realtime

#pragma once
// What a tool answers when Calendly's API fails: a booking page the person can use by themselves
// (the meeting type's own page when it is known, else CALENDLY_FALLBACK_URL) and a plain apology.
// Calendly's booking pages are served apart from its API, so they often still work when the API
// does not.

#include <nlohmann/json.hpp>
#include <string_view>

#include "calrt/calendly/models.hpp"
#include "calrt/core/error.hpp"
#include "calrt/tools/calendly_tools.hpp"

namespace calrt::tools {

// True when `error` is Calendly (or the way to it) failing, not the caller asking for something
// wrong: then a fallback link helps.
bool is_calendly_failure(const Error& error);

// {"fallback": true, "booking_url", "message": "Sorry, I couldn't <what> right now. ..."}; an error
// result ("calendly_unavailable") with the apology when there is no link to offer. Logs the cause
// at warn (its code only: no personal data).
nlohmann::json calendly_failure_answer(const CalendlyToolContext& context, std::string_view tool,
                                       std::string_view what, const Error& cause,
                                       const calendly::EventType* known_type = nullptr);

}  // namespace calrt::tools

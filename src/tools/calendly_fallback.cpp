#include "calendly_fallback.hpp"

#include "calrt/core/logging.hpp"

namespace calrt::tools {

bool is_calendly_failure(const Error& error) {
    return error.kind != ErrorKind::invalid_argument && error.kind != ErrorKind::not_found;
}

nlohmann::json calendly_failure_answer(const CalendlyToolContext& context, std::string_view tool,
                                       std::string_view what, const Error& cause,
                                       const calendly::EventType* known_type) {
    log::warn("calendly tool falls back", {{"tool", tool}, {"reason", cause.code}});
    const std::string apology =
        "Sorry, I couldn't " + std::string(what) + " right now because Calendly isn't responding.";
    const std::string booking_url = known_type && !known_type->scheduling_url.empty()
                                        ? known_type->scheduling_url
                                        : context.fallback_url;
    if (booking_url.empty()) {
        return tool_error("calendly_unavailable", apology + " Please try again in a few minutes.");
    }
    return {
        {"fallback", true},
        {"booking_url", booking_url},
        {"message", apology + " You can pick a time directly on the booking page: " + booking_url}};
}

}  // namespace calrt::tools

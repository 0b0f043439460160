#pragma once
// The tools that let invitees manage what they booked (issue 23): find_my_bookings,
// cancel_booking and reschedule_booking. Each refuses to say or do anything for an email that was
// not proven in this conversation (verification_tools.hpp), not even "you have no bookings", and
// each works only on bookings where that email is an active invitee.
//
// Changes need a yes: cancel_booking and reschedule_booking without "confirmed": true change
// nothing and answer what would change, for the assistant to read back; both are tools with an
// effect, so a confirmation in a response the person cut off changes nothing either. Calendly has no
// reschedule endpoint: the new time is booked first, and only once Calendly confirmed it is the old
// booking cancelled (developer.calendly.com: "Create Event Invitee", "Cancel Event"). A group event
// with other active invitees is never cancelled for one of them: the person gets their own
// cancel_url or reschedule_url instead.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/tools/booking_caps.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/identity/verification_codes.hpp"
#include "calrt/tools/tool_registry.hpp"

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace calrt::tools {

// One change made for an invitee, as the audit log keeps it.
struct SelfServiceChange {
    std::string action;           // "cancel" or "reschedule"
    std::string outcome;          // "done"; reschedule: "old_kept" when the old booking could not be cancelled
    std::string email;            // the address proven in the conversation
    std::string conversation_id;
    std::string event_uri;        // the booking changed
    Timestamp old_start{};
    std::optional<std::string> new_event_uri{};  // reschedule: the new booking's event
    std::optional<Timestamp> new_start{};
    Timestamp at{};
};

struct SelfServiceToolContext {
    calendly::CalendlyClient& calendly;
    identity::VerificationCodes& codes;
    const Clock& clock;
    std::string conversation_id{};
    // The person's zone for the times the assistant says; UTC when unknown.
    TimeZone person_zone = TimeZone::utc();
    // SELF_SERVICE_MIN_NOTICE_HOURS: no change closer than this to the start.
    std::chrono::hours min_notice{0};
    // CALENDLY_FALLBACK_URL, offered when a change is not possible here; may be empty.
    std::string fallback_url{};
    // The service's bookings per UTC day, shared with book_meeting: a reschedule books (it counts
    // against the service's cap only; the invitee's own email and address were counted when they
    // first booked). Null: not limited.
    BookingCaps* booking_caps = nullptr;
    // Keeps every change (audit log); may be empty in tests.
    std::function<void(const SelfServiceChange&)> record{};
};

ToolSpec find_my_bookings_spec();
ToolSpec cancel_booking_spec();
ToolSpec reschedule_booking_spec();

boost::asio::awaitable<nlohmann::json> find_my_bookings(SelfServiceToolContext& context,
                                                        const nlohmann::json& arguments);
boost::asio::awaitable<nlohmann::json> cancel_booking(SelfServiceToolContext& context,
                                                      const nlohmann::json& arguments);
boost::asio::awaitable<nlohmann::json> reschedule_booking(SelfServiceToolContext& context,
                                                          const nlohmann::json& arguments);

// Adds the three tools; each handler keeps `context` alive while it runs.
void register_self_service_tools(ToolRegistry& registry, std::shared_ptr<SelfServiceToolContext> context);

}  // namespace calrt::tools

// `doctor`'s lines about the host's meeting types and their open times.
#include "doctor_calendly_call.hpp"
#include "doctor_calendly_checks.hpp"

#include "calrt/calendly/booking_requirements.hpp"
#include "calrt/calendly/offered_event_types.hpp"
#include "calrt/calendly/page.hpp"

namespace calrt::app {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxPages = 20;  // 2,000 event types: more than any host has

std::string display_name(const calendly::EventType& type) {
    return "\"" + type.name.value_or(type.slug.value_or(type.uri)) + "\" (" + std::to_string(type.duration) + " min)";
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : std::string(separator)) + part;
    return text;
}

// "location: Zoom or a phone call: the host calls you; asks: "Company" (required)".
std::string what_booking_needs(const calendly::BookingRequirements& requirements) {
    std::vector<std::string> locations;
    for (const auto& location : requirements.locations) {
        locations.push_back(location.description.empty() ? location.kind : location.description);
    }
    std::vector<std::string> questions;
    for (const auto& question : requirements.questions) {
        if (question.required) questions.push_back("\"" + question.question + "\"");
    }
    std::string text = locations.empty() ? "no location" : "location: " + joined(locations, " or ");
    if (!questions.empty()) text += "; asks " + joined(questions, ", ");
    return text;
}

void report_event_type(DoctorReport& report, const calendly::EventType& type) {
    if (type.secret) {
        report.info("calendly.event_type",
                    display_name(type) + " is secret: the assistant and the public API never offer it (Calendly shares "
                                         "secret types by their link only).");
        return;
    }
    const auto requirements = calendly::booking_requirements(type);
    if (requirements.link_only_reason) {
        report.warn("calendly.event_type",
                    display_name(type) + ": the assistant offers only a single-use link: " +
                        *requirements.link_only_reason + ".",
                    "nothing, if a link is fine; to book it in the conversation, change that in the event type's "
                    "settings in Calendly.");
        return;
    }
    report.ok("calendly.event_type",
              display_name(type) + ": the assistant books it directly; " + what_booking_needs(requirements) + ".");
}

}  // namespace

asio::awaitable<std::vector<calendly::EventType>> check_event_types(DoctorContext& context,
                                                                    const std::string& host_uri) {
    auto& report = context.report;
    std::vector<calendly::EventType> types;
    std::vector<std::pair<std::string, std::string>> query = {
        {"user", host_uri}, {"active", "true"}, {"count", "100"}};
    for (std::size_t page = 0; page < kMaxPages; ++page) {
        const auto answer = co_await calendly_get(context, "/event_types", query);
        if (!answer.ok()) {
            if (answer.kind == CalendlyCallOutcome::Kind::missing_scope) {
                report.fail("calendly.event_types",
                            "cannot list the meeting types: " + missing_scope_text(answer, "event_types:read") + ".",
                            "create a token with event_types:read (and the other scopes in docs/operations.md) and "
                            "set CALENDLY_API_KEY.");
            } else {
                report.fail("calendly.event_types", "cannot list the meeting types: " + answer.what + ".",
                            "check the token's access to this user's event types in Calendly.");
            }
            co_return std::vector<calendly::EventType>{};
        }
        auto parsed = calendly::parse_page<calendly::EventType>(answer.body);
        if (!parsed) {
            report.fail("calendly.event_types", "GET /event_types answered something unreadable: " +
                                                    parsed.error().message + ".",
                        "report it: the service could not read these meeting types either.");
            co_return std::vector<calendly::EventType>{};
        }
        for (auto& type : parsed->collection) types.push_back(std::move(type));
        if (!parsed->pagination.has_next()) break;
        query = {{"user", host_uri}, {"active", "true"}, {"count", "100"},
                 {"page_token", *parsed->pagination.next_page_token}};
    }

    for (const auto& type : types) {
        if (type.active) report_event_type(report, type);
    }
    auto offered = calendly::offered_event_types(types);
    if (offered.empty()) {
        report.fail("calendly.event_types",
                    "the host has no active meeting type that is not secret: the assistant has nothing to offer.",
                    "turn on (or create) a public event type in Calendly.");
    } else {
        std::size_t direct = 0;
        for (const auto& type : offered) {
            if (!calendly::booking_requirements(type).link_only_reason) ++direct;
        }
        report.ok("calendly.event_types", std::to_string(offered.size()) + " meeting types offered, " +
                                              std::to_string(direct) + " of them booked directly in a conversation.");
    }
    co_return offered;
}

asio::awaitable<void> check_availability(DoctorContext& context, const calendly::EventType& type) {
    // developer.calendly.com, "List Event Type Available Times": start_time must not be in the
    // past, the range at most 31 days (7 before 2026-07-09); one day is within both.
    const Timestamp start = context.clock.now() + std::chrono::minutes(5);
    // Built before the co_await: GCC 12 mishandles braced lists with string literals inside one.
    const std::vector<std::pair<std::string, std::string>> query = {
        {"event_type", type.uri},
        {"start_time", format_calendly_time(start)},
        {"end_time", format_calendly_time(start + std::chrono::hours(24))}};
    const auto answer = co_await calendly_get(context, "/event_type_available_times", query);
    if (answer.ok()) {
        const auto& collection = answer.body.contains("collection") ? answer.body["collection"] : nlohmann::json();
        const std::size_t open = collection.is_array() ? collection.size() : 0;
        context.report.ok("calendly.availability", "open times can be read: " + std::to_string(open) + " for " +
                                                       display_name(type) + " in the next 24 hours.");
        co_return;
    }
    if (answer.kind == CalendlyCallOutcome::Kind::missing_scope) {
        // The endpoint's page names availability:read; the scopes catalog lists it under
        // event_types:read (research/calendly.md section 3).
        context.report.fail("calendly.availability",
                            "cannot read open times: " +
                                missing_scope_text(answer, "availability:read (or event_types:read)") + ".",
                            "create a token with availability:read and event_types:read and set CALENDLY_API_KEY.");
        co_return;
    }
    context.report.fail("calendly.availability", "cannot read open times for " + display_name(type) + ": " +
                                                     answer.what + ".",
                        "check the event type in Calendly; the assistant cannot offer times without this.");
}

}  // namespace calrt::app

// CalendlyClient's calls that write: POST /invitees (a booking), the cancellation of a scheduled
// event, and single-use scheduling links.

#include "client_impl.hpp"

namespace calrt::calendly {

// The body of POST /invitees ("Create Event Invitee", Scheduling API): `event_type`, `start_time`
// and `invitee` {name, email, timezone}; `location` {"kind"[, "location"]} only when the event
// type has a location specification, and `questions_and_answers` [{"question", "answer",
// "position"}] (all three required; `question` must match the custom question's text exactly)
// only when there are answers. Sources: Calendly's reference page as transcribed by third parties
// and Calendly's "Schedule events with AI agents" guide ("Location must match location specified
// on the EventType"); see /work/research/calendly.md §1 and §6 (secondary: the reference page
// itself was not readable).
nlohmann::json invitee_request_body(const InviteeRequest& request) {
    nlohmann::json invitee = nlohmann::json::object();
    invitee["name"] = request.name;
    invitee["email"] = request.email;
    invitee["timezone"] = request.timezone;
    if (request.text_reminder_number) invitee["text_reminder_number"] = *request.text_reminder_number;
    nlohmann::json body = nlohmann::json::object();
    body["event_type"] = request.event_type_uri;
    body["start_time"] = format_calendly_time(request.start_time);
    body["invitee"] = std::move(invitee);
    if (request.location) {
        nlohmann::json location = nlohmann::json::object();
        location["kind"] = request.location->kind;
        if (request.location->location) location["location"] = *request.location->location;
        body["location"] = std::move(location);
    }
    if (!request.answers.empty()) {
        nlohmann::json answers = nlohmann::json::array();
        for (const InviteeAnswer& answer : request.answers) {
            nlohmann::json entry = nlohmann::json::object();
            entry["question"] = answer.question;
            entry["answer"] = answer.answer;
            entry["position"] = answer.position;
            answers.push_back(std::move(entry));
        }
        body["questions_and_answers"] = std::move(answers);
    }
    return body;
}

asio::awaitable<Result<Cancellation>> CalendlyClient::cancel_event(std::string_view event_uuid, std::string reason) {
    if (!is_calendly_uuid(event_uuid)) co_return invalid_uuid("scheduled event", event_uuid);
    nlohmann::json request = nlohmann::json::object();
    request["reason"] = std::move(reason);
    auto body = co_await impl_->transport.call(
        "POST", impl_->transport.url("/scheduled_events/" + std::string(event_uuid) + "/cancellation"),
        std::move(request), RetrySafety::must_not_repeat, "POST /scheduled_events/{uuid}/cancellation");
    if (!body) co_return body.error();
    co_return parse_resource<Cancellation>(*body);
}

asio::awaitable<Result<SchedulingLink>> CalendlyClient::create_scheduling_link(std::string_view event_type_uri) {
    // Creating an unused single-use link twice is harmless, so it is retried like a read.
    nlohmann::json request = nlohmann::json::object();
    request["max_event_count"] = 1;
    request["owner"] = std::string(event_type_uri);
    request["owner_type"] = "EventType";
    auto body = co_await impl_->transport.call("POST", impl_->transport.url("/scheduling_links"), std::move(request),
                                               RetrySafety::idempotent, "POST /scheduling_links");
    if (!body) co_return body.error();
    co_return parse_resource<SchedulingLink>(*body);
}

asio::awaitable<Result<Invitee>> CalendlyClient::create_invitee(InviteeRequest request) {
    nlohmann::json body = invitee_request_body(request);
    auto response = co_await impl_->transport.call("POST", impl_->transport.url("/invitees"), std::move(body),
                                                   RetrySafety::must_not_repeat, "POST /invitees");
    // The booked slot must disappear from the next availability answer at once. Also after a
    // failure: a refused slot may be taken, and a lost answer may hide a booking.
    impl_->availability_windows.invalidate_prefix(availability_key_prefix(request.event_type_uri));
    if (!response) {
        Error error = response.error();
        if (error.code == "calendly_plan_required") {
            // What the host must know, and what the assistant offers instead.
            error.message = "The host's Calendly plan does not allow booking through the API; the single-use "
                            "booking link still works.";
            const std::lock_guard lock(impl_->plan_refusal_mutex);
            if (!impl_->plan_refusal) {
                log::warn("calendly refused a booking for the host's plan; bookings go by single-use link",
                          {{"endpoint", "POST /invitees"}});
            }
            impl_->plan_refusal = error;
        }
        co_return error;
    }
    co_return parse_resource<Invitee>(*response);
}

std::optional<Error> CalendlyClient::booking_refused_by_plan() const {
    const std::lock_guard lock(impl_->plan_refusal_mutex);
    return impl_->plan_refusal;
}

}  // namespace calrt::calendly

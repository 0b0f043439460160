// book_meeting {event_type, start_time, name, email, timezone, location?, answers?}: books one open
// slot through Calendly's POST /invitees, after checking that the slot is still open and that the
// person gave what the type needs (its location, required questions: booking_requirements.hpp).
#include <algorithm>

#include "calendly_fallback.hpp"
#include "calrt/calendly/booking_details_json.hpp"
#include "calrt/calendly/booking_requirements.hpp"
#include "calrt/calendly/calendly_error.hpp"
#include "calrt/core/input_validation.hpp"
#include "calrt/core/logging.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "calrt/tools/host_booking_hold.hpp"
#include "event_type_choice.hpp"
#include "local_calendar.hpp"
#include "team_booking.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;
using namespace std::chrono;

namespace {

// Slots this close to a taken one are offered instead of it.
constexpr hours nearby{24};
constexpr std::size_t alternatives_offered = 3;

struct BookingRequest {
    std::string event_type;
    Timestamp start_time;
    std::string name;
    std::string email;
    TimeZone zone;
    calendly::GivenBookingDetails details;
};

Result<BookingRequest> read_request(const nlohmann::json& arguments, Timestamp now,
                                    TimeZoneCache& zones) {
    auto event_type = required_string_argument(arguments, "event_type");
    if (!event_type) return event_type.error();
    auto event_type_text = validate_text("event_type", *event_type, 200);
    if (!event_type_text) return event_type_text.error();
    auto start_text = required_string_argument(arguments, "start_time");
    if (!start_text) return start_text.error();
    auto start = validate_time("start_time", *start_text);
    if (!start) return start.error();
    if (*start <= now)
        return invalid_field("start_time", "start_time_in_past", "must be in the future");
    auto name_text = required_string_argument(arguments, "name");
    if (!name_text) return name_text.error();
    auto name = validate_name("name", *name_text);
    if (!name) return name.error();
    auto email_text = required_string_argument(arguments, "email");
    if (!email_text) return email_text.error();
    auto email = validate_email("email", *email_text);
    if (!email) return email.error();
    auto zone_text = required_string_argument(arguments, "timezone");
    if (!zone_text) return zone_text.error();
    auto zone = validate_time_zone("timezone", *zone_text, zones);
    if (!zone) return zone.error();
    auto details = calendly::given_booking_details_from_json(arguments);
    if (!details) return details.error();
    return BookingRequest{std::move(*event_type_text), *start, std::move(*name), std::move(*email),
                          std::move(*zone), std::move(*details)};
}

bool wants_calling_number_reminders(const nlohmann::json& arguments) {
    const auto yes = arguments.find("text_reminders_to_calling_number");
    return yes != arguments.end() && yes->is_boolean() && yes->get<bool>();
}

bool offers_start(const std::vector<calendly::AvailableTime>& slots, Timestamp start) {
    return std::any_of(slots.begin(), slots.end(),
                       [&](const auto& slot) { return slot.start_time == start; });
}

nlohmann::json slot_taken_answer(const calendly::EventType& type, const BookingRequest& request,
                                 std::vector<calendly::AvailableTime> slots) {
    const auto distance = [&](const calendly::AvailableTime& slot) {
        return slot.start_time < request.start_time ? request.start_time - slot.start_time
                                                    : slot.start_time - request.start_time;
    };
    std::stable_sort(slots.begin(), slots.end(),
                     [&](const auto& a, const auto& b) { return distance(a) < distance(b); });
    if (slots.size() > alternatives_offered) slots.resize(alternatives_offered);
    std::sort(slots.begin(), slots.end(),
              [](const auto& a, const auto& b) { return a.start_time < b.start_time; });

    nlohmann::json nearest = nlohmann::json::array();
    std::string spoken;
    for (const auto& slot : slots) {
        const LocalTime local = request.zone.to_local(slot.start_time);
        nearest.push_back(
            {{"start_time", local.to_rfc3339()}, {"spoken", spoken_date_time(local)}});
        spoken += (spoken.empty() ? "" : ", ") + spoken_date_time(local);
    }
    const std::string asked = spoken_date_time(request.zone.to_local(request.start_time));
    std::string message =
        "Nothing was booked: " + asked + " is not open for the " + display_name(type) + ". ";
    message +=
        slots.empty()
            ? "There are no open times within a day of it; check availability on other dates."
            : "The nearest open times are " + spoken + ". Ask the person which one they want.";
    return {{"booked", false},
            {"reason", "slot_unavailable"},
            {"event_type", event_type_summary(type)},
            {"timezone", request.zone.name()},
            {"nearest_available_times", std::move(nearest)},
            {"booking_url", type.scheduling_url},
            {"message", std::move(message)}};
}

// Calendly answered, and the answer was no: nothing was booked.
bool refused_before_booking(const Error& error) {
    return error.kind == ErrorKind::invalid_argument || error.kind == ErrorKind::not_found ||
           error.kind == ErrorKind::rate_limited || calendly::nothing_was_written(error);
}

nlohmann::json booking_failed_answer(const calendly::EventType& type, const Error& error) {
    nlohmann::json answer;
    if (refused_before_booking(error)) {
        answer = tool_error(
            "booking_refused",
            "Calendly did not accept the booking, so nothing was booked (" + error.message +
                "). Check availability again, or the person can book at " + type.scheduling_url);
    } else {
        // POST /invitees is not repeated after a timeout or a 5xx: Calendly may have booked it.
        answer = tool_error(
            "booking_unconfirmed",
            "Sorry, Calendly did not confirm the booking, so it may or may not have gone through. "
            "The person should look for a confirmation email before trying again, or book at " +
                type.scheduling_url);
    }
    answer["booking_url"] = type.scheduling_url;
    return answer;
}

nlohmann::json optional_text(const std::optional<std::string>& text) {
    return text ? nlohmann::json(*text) : nlohmann::json();
}

// `hosts`: who the person will meet, as the scheduled event names them (organization mode).
nlohmann::json booked_answer(const calendly::EventType& type, const BookingRequest& request,
                             const calendly::Invitee& invitee, const std::vector<std::string>& hosts) {
    const LocalTime local = request.zone.to_local(request.start_time);
    std::string with;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        with += i == 0 ? " with " : (i + 1 == hosts.size() ? " and " : ", ");
        with += hosts[i];
    }
    std::string message = "Booked: the " + display_name(type) + with + " on " + spoken_date_time(local) +
                          " (" + request.zone.name() +
                          "). Calendly is emailing a confirmation to " + invitee.email + ".";
    if (invitee.reschedule_url || invitee.cancel_url) {
        message += " They can reschedule or cancel with the links in that email.";
    }
    nlohmann::json answer{{"booked", true},
            {"event_type", event_type_summary(type)},
            {"start_time", local.to_rfc3339()},
            {"timezone", request.zone.name()},
            {"event", invitee.event},
            {"invitee", invitee.uri},
            {"cancel_url", optional_text(invitee.cancel_url)},
            {"reschedule_url", optional_text(invitee.reschedule_url)},
            {"message", std::move(message)}};
    if (!hosts.empty()) answer["hosts"] = hosts;
    return answer;
}

// The type cannot be booked in a conversation, or the host's plan does not allow booking through
// the API: schedule_call's single-use link with the person's name and email instead, and why.
asio::awaitable<nlohmann::json> link_instead(CalendlyToolContext& context, const calendly::EventType& type,
                                             const BookingRequest& request, std::string reason,
                                             std::string why) {
    nlohmann::json arguments = nlohmann::json::object();
    arguments["name"] = request.name;
    arguments["email"] = request.email;
    arguments["event_type"] = type.uri;
    nlohmann::json answer = co_await schedule_call(context, arguments);
    if (!answer.is_object() || !answer.contains("booking_url")) co_return answer;  // an error result
    answer["booked"] = false;
    answer["reason"] = std::move(reason);
    answer["message"] = "Nothing was booked directly: " + why + ". " + answer.value("message", std::string()) +
                        " Tell the person why, and that they pick the time on that page.";
    co_return answer;
}

// The host books only for proven addresses (BOOKING_REQUIRES_VERIFIED_EMAIL): the way on is the
// code, sent to the address the person gave.
Error email_not_verified(const std::string& email) {
    return Error::make(ErrorKind::invalid_argument, "email_not_verified",
                       "Nothing was booked: this host books only for an email address proven in this "
                       "conversation. Offer to send a 6-digit code to " + email +
                           " (send_verification_code), check the code the person reads back "
                           "(check_verification_code), then book again.");
}

}  // namespace

ToolSpec book_meeting_spec(bool offers_calling_number) {
    ToolSpec spec;
    spec.name = "book_meeting";
    spec.has_effect = true;
    spec.description =
        "Book a meeting at one of the open start times check_meeting_availability returned. Before "
        "calling, read the meeting type, the time, the name and the email back to the person and "
        "get their yes. Some meeting types need more: get_available_meeting_types and "
        "check_meeting_availability say under `booking` what to ask (which location, a phone "
        "number the host calls, where to meet, answers to required questions); ask for it and "
        "pass it as `location` and `answers`. If something is missing the answer says what "
        "(booking_details_required) and nothing is booked. If the time was taken meanwhile, "
        "nothing is booked and the nearest open times come back instead. A type that cannot be "
        "booked here comes back as a single-use booking link, with the reason to tell the person.";
    nlohmann::json properties = {
        {"event_type",
         {{"type", "string"},
          {"maxLength", 200},
          {"description",
           "The meeting type: its name as get_available_meeting_types lists it, its slug, or its "
           "uri."}}},
        {"start_time",
         {{"type", "string"},
          {"format", "date-time"},
          {"description",
           "The slot's start exactly as check_meeting_availability gave it, RFC 3339 with an "
           "offset, e.g. \"2026-05-04T10:00:00-04:00\"."}}},
        {"name", person_name_schema()},
        {"email", person_email_schema()},
        {"timezone",
         {{"type", "string"},
          {"maxLength", 64},
          {"description",
           "The person's IANA time zone, e.g. \"America/New_York\"; the confirmation uses it."}}},
        {"location",
         {{"type", "object"},
          {"description",
           "Where the meeting happens, when the type's `booking` asks for it: `kind` one of its "
           "locations' kinds (needed when it offers several); `phone_number` for outbound_call "
           "(the number the host calls, international form, e.g. \"+14155550123\"); `details` for "
           "ask_invitee (where the person wants to meet)."},
          {"properties",
           {{"kind", {{"type", "string"}, {"maxLength", 100}}},
            {"phone_number", {{"type", "string"}, {"maxLength", 40}}},
            {"details", {{"type", "string"}, {"maxLength", 500}}}}},
          {"additionalProperties", false}}},
        {"answers",
         {{"type", "array"},
          {"maxItems", 50},
          {"description",
           "Answers to the type's questions (its `booking.questions`), each with the question as "
           "listed; for a choice question one of its choices (several separated by new lines for "
           "multi_select)."},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"question", {{"type", "string"}, {"maxLength", 1000}}},
              {"answer", {{"type", "string"}, {"maxLength", 5000}}}}},
            {"required", nlohmann::json::array({"question", "answer"})},
            {"additionalProperties", false}}}}}};
    if (offers_calling_number) {
        properties["text_reminders_to_calling_number"] = {
            {"type", "boolean"},
            {"description",
             "true only after the person said yes to getting text reminders at the number they are "
             "calling from; leave it out otherwise."}};
    }
    spec.parameters = {{"type", "object"},
                       {"properties", std::move(properties)},
                       {"required", nlohmann::json::array(
                                        {"event_type", "start_time", "name", "email", "timezone"})},
                       {"additionalProperties", false}};
    return spec;
}

asio::awaitable<nlohmann::json> book_meeting(CalendlyToolContext& context,
                                             const nlohmann::json& arguments) {
    constexpr std::string_view tool = "book_meeting";
    auto request = read_request(arguments, context.clock.now(), context.time_zones);
    if (!request) co_return error_result(request.error());
    if (context.email_verified && !context.email_verified(request->email)) {
        co_return error_result(email_not_verified(request->email));
    }

    auto active = co_await offered_types(context);
    if (!active) {
        co_return calendly_failure_answer(context, tool, "book the meeting", active.error());
    }
    const auto types = offered_event_types(*active);
    if (types.empty()) {
        co_return error_result(no_event_types());
    }
    const calendly::EventType* type = find_event_type(types, request->event_type);
    if (!type) co_return error_result(unknown_event_type(request->event_type, types));

    // What the type needs from the person, checked before anything is asked of Calendly.
    auto details = calendly::resolve_booking_details(*type, request->details);
    if (!details) {
        if (details.error().code == "booking_requires_link") {
            const auto reason = calendly::booking_requirements(*type).link_only_reason;
            co_return co_await link_instead(context, *type, *request, "booking_requires_link",
                                            "the " + display_name(*type) + " cannot be booked in a conversation: " +
                                                reason.value_or(details.error().message));
        }
        co_return error_result(details.error());
    }
    if (context.calendly.booking_refused_by_plan()) {
        co_return co_await link_instead(context, *type, *request, "calendly_plan_required",
                                        "the host's Calendly plan does not allow booking through the API");
    }

    const calendly::TimeRange around{request->start_time - nearby, request->start_time + nearby};
    // A start this conversation's availability check showed open moments ago is booked at once;
    // any other is checked with Calendly first, so that a taken one gets the nearest open times.
    const bool seen_open = context.slots_seen_open &&
                           context.slots_seen_open->seen_open(type->uri, request->start_time, context.clock.now());
    if (!seen_open) {
        auto slots = co_await context.calendly.available_times(type->uri, around);
        if (!slots) {
            if (is_calendly_failure(slots.error())) {
                co_return calendly_failure_answer(context, tool, "book the meeting", slots.error(),
                                                  type);
            }
            co_return error_result(slots.error());
        }
        if (!offers_start(*slots, request->start_time))
            co_return slot_taken_answer(*type, *request, std::move(*slots));
    }

    if (context.booking_caps) {
        auto taken = co_await context.booking_caps->take_booking(context.client_address, request->email);
        if (!taken && taken.error().code == "daily_booking_limit_reached") {
            log::warn("assistant booking refused: the daily booking limit is reached", {{"event_type", type->uri}});
            co_return error_result(daily_booking_limit_reached(*type));
        }
        if (!taken) {
            log::warn("assistant booking refused: a per-address or per-email daily cap is reached",
                      {{"event_type", type->uri}});
            Error error = taken.error();
            error.message += ". Offer the public booking page instead: " + type->scheduling_url;
            co_return error_result(error);
        }
    }
    // Organization mode's per-host cap: the hosts of the type, before Calendly is asked.
    const calendly::OrganizationDirectory* directory = context.team ? context.team->directory.get() : nullptr;
    auto host_hold = co_await HostBookingHold::take(context.booking_caps, directory, *type);
    if (!host_hold) {
        co_await context.booking_caps->give_back_booking(context.client_address, request->email);
        Error error = host_hold.error();
        error.message += ". Offer another host's meeting, or the public booking page: " + type->scheduling_url;
        co_return error_result(error);
    }
    // Registered only now, once nothing else can refuse the booking (review N4): an expectation
    // left behind by a refused booking could match someone else's booking of that slot. Before
    // POST /invitees all the same: Calendly's webhook may arrive before its answer.
    ExpectedBooking expected{request->email, type->uri, request->start_time, {}};
    if (context.on_expected_booking && !context.on_expected_booking(expected)) {
        co_await host_hold->give_back();
        if (context.booking_caps) co_await context.booking_caps->give_back_booking(context.client_address, request->email);
        co_return error_result(booking_limit_reached(*type));
    }
    const auto settle = [&](BookingSettlement settlement) {
        if (context.on_expected_booking && context.on_booking_settled) context.on_booking_settled(expected, settlement);
    };
    calendly::InviteeRequest invitee_request{type->uri,          request->start_time,       request->name,
                                             request->email,     request->zone.name(),      details->location,
                                             details->answers};
    // The number comes from the call (SIP From), never from the model, and only after the
    // person's yes, which the assistant asked for.
    if (!context.caller_number.empty() && wants_calling_number_reminders(arguments)) {
        invitee_request.text_reminder_number = context.caller_number;
    }
    auto invitee = co_await context.calendly.create_invitee(std::move(invitee_request));
    if (!invitee) {
        // A refusal booked nothing; an answer lost on the way may have booked, and keeps its unit.
        if (calendly::nothing_was_written(invitee.error())) {
            co_await host_hold->give_back();
            if (context.booking_caps) co_await context.booking_caps->give_back_booking(context.client_address, request->email);
            settle(BookingSettlement::refused);
        } else {
            settle(BookingSettlement::uncertain);
        }
        if (invitee.error().code == "calendly_plan_required") {
            co_return co_await link_instead(context, *type, *request, "calendly_plan_required",
                                            "the host's Calendly plan does not allow booking through the API");
        }
        log::warn("assistant booking failed",
                  {{"event_type", type->uri}, {"reason", invitee.error().code}});
        // Booked unchecked and refused: the slot may have gone since it was seen open.
        if (seen_open && calendly::nothing_was_written(invitee.error())) {
            auto slots = co_await context.calendly.available_times(type->uri, around);
            if (slots && !offers_start(*slots, request->start_time))
                co_return slot_taken_answer(*type, *request, std::move(*slots));
        }
        if (team_type_refused(*type, invitee.error())) {
            co_return co_await link_instead(context, *type, *request, "team_booking_refused",
                                            "Calendly did not book the " + display_name(*type) +
                                                " directly (" + invitee.error().message + ")");
        }
        co_return booking_failed_answer(*type, invitee.error());
    }
    expected.invitee_uri = invitee->uri;
    settle(BookingSettlement::booked);
    log::info("assistant booked a meeting", {{"event_type", type->uri}, {"event", invitee->event}});
    const auto hosts = co_await assigned_hosts(context, *invitee);
    co_await host_hold->booked(hosts.uris);
    co_return booked_answer(*type, *request, *invitee, hosts.names);
}

}  // namespace calrt::tools

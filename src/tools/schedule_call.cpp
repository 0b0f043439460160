// schedule_call {name, email, purpose?, event_type?}: a single-use booking link made for one
// person, with their name, email and purpose prefilled.
#include "calendly_fallback.hpp"
#include "calrt/calendly/personalized_link.hpp"
#include "calrt/core/input_validation.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "event_type_choice.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;

namespace {

struct CallRequest {
    calendly::BookingPrefill prefill;
    std::optional<std::string> event_type;
};

Result<CallRequest> read_request(const nlohmann::json& arguments) {
    CallRequest request;
    auto name = required_string_argument(arguments, "name");
    if (!name) return name.error();
    auto valid_name = validate_name("name", *name);
    if (!valid_name) return valid_name.error();
    request.prefill.name = std::move(*valid_name);
    auto email = required_string_argument(arguments, "email");
    if (!email) return email.error();
    auto valid_email = validate_email("email", *email);
    if (!valid_email) return valid_email.error();
    request.prefill.email = std::move(*valid_email);
    auto purpose = optional_string_argument(arguments, "purpose");
    if (!purpose) return purpose.error();
    if (*purpose) {
        auto text = validate_text("purpose", **purpose, 1000);
        if (!text) return text.error();
        request.prefill.purpose = std::move(*text);
    }
    auto event_type = optional_string_argument(arguments, "event_type");
    if (!event_type) return event_type.error();
    if (*event_type) {
        auto text = validate_text("event_type", **event_type, 200);
        if (!text) return text.error();
        request.event_type = std::move(*text);
    }
    return request;
}

nlohmann::json link_answer(const calendly::PersonalizedLink& link) {
    nlohmann::json answer{
        {"booking_url", link.booking_url},
        {"fallback", link.fallback},
        {"event_type", link.event_type ? event_type_summary(*link.event_type) : nlohmann::json()}};
    const std::string what =
        link.event_type ? "the " + display_name(*link.event_type) : std::string("a meeting");
    if (link.fallback) {
        answer["message"] =
            "Sorry, Calendly isn't responding right now, so I couldn't make a "
            "personal link. The person can book " +
            what +
            " on the host's booking page instead, with their name and email "
            "already filled in: " +
            link.booking_url;
    } else {
        answer["message"] =
            "Here is a personal booking link for " + what +
            ", with the person's name and email already filled in. It works for one booking: " +
            link.booking_url;
    }
    return answer;
}

}  // namespace

ToolSpec schedule_call_spec() {
    ToolSpec spec;
    spec.name = "schedule_call";
    spec.has_effect = true;
    spec.description =
        "Make a personal, single-use booking link for the person, with their name and email filled "
        "in, so they can pick a time themselves. Use it when they want to schedule but not pick a "
        "slot with you. Confirm the spelling of the name and email with the person before calling.";
    nlohmann::json properties = {
        {"name", person_name_schema()},
        {"email", person_email_schema()},
        {"purpose",
         {{"type", "string"},
          {"maxLength", 1000},
          {"description", "What the meeting is about, in the person's words; shown to the host."}}},
        {"event_type",
         {{"type", "string"},
          {"maxLength", 200},
          {"description",
           "The meeting type: its name as get_available_meeting_types lists it, its slug, or its "
           "uri. Default: the host's first meeting type, so pass it when the person said which "
           "kind of meeting they want."}}}};
    spec.parameters = {{"type", "object"},
                       {"properties", std::move(properties)},
                       {"required", nlohmann::json::array({"name", "email"})},
                       {"additionalProperties", false}};
    return spec;
}

asio::awaitable<nlohmann::json> schedule_call(CalendlyToolContext& context,
                                              const nlohmann::json& arguments) {
    auto request = read_request(arguments);
    if (!request) co_return error_result(request.error());
    request->prefill.tracking = context.link_tracking;

    // The person may name the type the way it reads; the link library takes only its id.
    auto active = co_await offered_types(context);
    if (!active) {
        auto fallback = calendly::fallback_personalized_link(context.fallback_url, request->prefill,
                                                             std::nullopt, active.error());
        if (!fallback)
            co_return calendly_failure_answer(context, "schedule_call", "make a booking link",
                                              active.error());
        co_return link_answer(*fallback);
    }
    const auto types = offered_event_types(*active);
    if (types.empty()) {
        co_return error_result(no_event_types());
    }
    const calendly::EventType* type = &types.front();
    if (request->event_type) {
        type = find_event_type(types, *request->event_type);
        if (!type) co_return error_result(unknown_event_type(*request->event_type, types));
    }

    if (context.on_expected_booking &&
        !context.on_expected_booking(
            ExpectedBooking{request->prefill.email, type->uri, std::nullopt, context.link_tracking})) {
        co_return error_result(booking_limit_reached(*type));
    }
    // Past the daily budget: the type's public page with the same prefill, which costs Calendly
    // nothing and lets the person book all the same.
    Result<void> link_taken{};
    if (context.booking_caps) link_taken = co_await context.booking_caps->take_link();
    if (!link_taken) {
        const Error& limit = link_taken.error();
        auto own_page = calendly::fallback_personalized_link(type->scheduling_url, request->prefill, *type, limit);
        if (!own_page) co_return error_result(limit);
        co_return link_answer(*own_page);
    }
    // The type as this conversation offers it (in organization mode any host's, which the token
    // user's own list does not have).
    auto link = co_await calendly::create_personalized_link(context.calendly, context.fallback_url, *type,
                                                            request->prefill);
    if (link && link->fallback && context.booking_caps) co_await context.booking_caps->give_back_link();
    if (!link) {
        if (context.booking_caps) co_await context.booking_caps->give_back_link();
        if (!is_calendly_failure(link.error())) co_return error_result(link.error());
        // Calendly failed and no CALENDLY_FALLBACK_URL is set: the type's own public page still
        // takes the same prefill.
        auto own_page = calendly::fallback_personalized_link(type->scheduling_url, request->prefill,
                                                             *type, link.error());
        if (!own_page)
            co_return calendly_failure_answer(context, "schedule_call", "make a booking link",
                                              link.error());
        co_return link_answer(*own_page);
    }
    co_return link_answer(*link);
}

}  // namespace calrt::tools

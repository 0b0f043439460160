// cancel_booking {email, event, reason?, confirmed?}: cancels one of the person's own bookings, after a yes.
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/input_validation.hpp"
#include "my_bookings.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxReasonCharacters = 500;

nlohmann::json booking_reference_schema() {
    return {{"type", "string"},
            {"maxLength", 300},
            {"description", "The booking's `event` from find_my_bookings (its URI or UUID)."}};
}

nlohmann::json confirmed_schema(std::string_view change) {
    return {{"type", "boolean"},
            {"description", "true only after the person said yes to " + std::string(change) +
                                " as you read it back; without it nothing changes."}};
}

}  // namespace

ToolSpec cancel_booking_spec() {
    ToolSpec spec;
    spec.name = "cancel_booking";
    spec.description =
        "Cancel one of the person's own upcoming meetings (an `event` from find_my_bookings), for an email "
        "proven in this conversation. First call it without `confirmed`: it changes nothing and answers what "
        "would be cancelled; read that back (\"Cancel your 30 Minute Meeting on Tuesday at 3 PM?\") and call "
        "it again with confirmed true only after the person says yes.";
    spec.parameters = {{"type", "object"},
                       {"properties",
                        {{"email", person_email_schema()},
                         {"event", booking_reference_schema()},
                         {"reason", {{"type", "string"}, {"maxLength", 500}, {"description", "Why, in the person's words (optional)."}}},
                         {"confirmed", confirmed_schema("the cancellation")}}},
                       {"required", nlohmann::json::array({"email", "event"})},
                       {"additionalProperties", false}};
    spec.has_effect = true;
    return spec;
}

asio::awaitable<nlohmann::json> cancel_booking(SelfServiceToolContext& context, const nlohmann::json& arguments) {
    auto email = proven_email(context, arguments);
    if (!email) co_return error_result(email.error());
    auto reason_argument = optional_string_argument(arguments, "reason");
    if (!reason_argument) co_return error_result(reason_argument.error());
    std::string reason;
    if (*reason_argument) {
        auto valid = validate_text("reason", **reason_argument, kMaxReasonCharacters);
        if (!valid) co_return error_result(valid.error());
        reason = std::move(*valid);
    }
    const bool confirmed = arguments.is_object() && arguments.value("confirmed", false) == true;

    auto chosen = co_await chosen_booking(context, *email, arguments);
    if (!chosen) co_return error_result(chosen.error());
    const MyBooking* booking = &*chosen;
    if (auto late = too_late_to_change(context, *booking, "cancel")) co_return *late;
    const std::string what = spoken_booking(context, *booking);
    if (booking->shared()) {
        // Calendly's cancellation ends the whole event, for every invitee.
        co_return nlohmann::json{
            {"cancelled", false},
            {"cancel_url", booking->invitee.cancel_url.value_or("")},
            {"booking", describe_booking(context, *booking)},
            {"message", "Other people are booked into " + what +
                            ", so cancelling the event would cancel it for them too. The person can cancel "
                            "their own place with their cancel link instead."}};
    }
    if (!confirmed) {
        co_return nlohmann::json{
            {"confirmation_needed", true},
            {"booking", describe_booking(context, *booking)},
            {"message", "Nothing is cancelled yet. Ask: cancel " + what +
                            "? Call cancel_booking again with confirmed true only if the person says yes."}};
    }

    const auto uuid = calendly::uuid_from_uri(booking->event.uri);
    std::string calendly_reason = "Canceled by the invitee (" + *email + ") through the booking assistant";
    if (!reason.empty()) calendly_reason += ": " + reason;
    auto cancellation = co_await context.calendly.cancel_event(uuid.value_or(""), std::move(calendly_reason));
    if (!cancellation) {
        co_return tool_error(cancellation.error().code,
                             "Calendly did not cancel " + what + " (" + cancellation.error().message +
                                 "). It is still booked; the person can use their cancel link: " +
                                 booking->invitee.cancel_url.value_or("(none)"));
    }
    if (context.record) {
        context.record(SelfServiceChange{"cancel", "done", *email, context.conversation_id, booking->event.uri,
                                         booking->event.start_time, std::nullopt, std::nullopt, context.clock.now()});
    }
    nlohmann::json described = describe_booking(context, *booking);
    described["status"] = "canceled";
    co_return nlohmann::json{{"cancelled", true},
                             {"booking", std::move(described)},
                             {"message", "Cancelled " + what + ". Calendly emails the person and the host."}};
}

}  // namespace calrt::tools

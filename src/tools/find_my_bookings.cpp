// find_my_bookings {email}: the person's upcoming bookings with the host, after they proved the email.
#include "my_bookings.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;

namespace {

nlohmann::json email_only_schema() {
    return {{"type", "object"},
            {"properties", {{"email", person_email_schema()}}},
            {"required", nlohmann::json::array({"email"})},
            {"additionalProperties", false}};
}

}  // namespace

ToolSpec find_my_bookings_spec() {
    ToolSpec spec;
    spec.name = "find_my_bookings";
    spec.description =
        "List the person's upcoming meetings with the host (each with its event id, time, and the "
        "person's own cancel and reschedule links). Only for an email proven in this conversation with "
        "send_verification_code and check_verification_code; before that it answers "
        "verification_required and nothing else.";
    spec.parameters = email_only_schema();
    return spec;
}

asio::awaitable<nlohmann::json> find_my_bookings(SelfServiceToolContext& context, const nlohmann::json& arguments) {
    auto email = proven_email(context, arguments);
    if (!email) co_return error_result(email.error());
    auto bookings = co_await load_my_bookings(context, *email);
    if (!bookings) {
        co_return tool_error(bookings.error().code,
                             "I could not load the bookings from Calendly just now (" + bookings.error().message +
                                 "). Try again in a moment, or use the links in the Calendly confirmation email.");
    }
    nlohmann::json list = nlohmann::json::array();
    std::string spoken;
    for (const auto& booking : *bookings) {
        list.push_back(describe_booking(context, booking));
        spoken += (spoken.empty() ? "" : "; ") + spoken_booking(context, booking);
    }
    std::string message;
    if (bookings->empty()) {
        message = "There are no upcoming meetings with the host booked for " + *email + ".";
    } else if (bookings->size() == 1) {
        message = "One upcoming meeting: " + spoken + ".";
    } else {
        message = std::to_string(bookings->size()) + " upcoming meetings: " + spoken + ".";
    }
    co_return nlohmann::json{{"email", *email}, {"bookings", std::move(list)}, {"message", std::move(message)}};
}

}  // namespace calrt::tools

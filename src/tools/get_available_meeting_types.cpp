// get_available_meeting_types {}: the meeting types a person can book with the host.
#include "calendly_fallback.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "event_type_choice.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;

ToolSpec get_available_meeting_types_spec() {
    ToolSpec spec;
    spec.name = "get_available_meeting_types";
    spec.description =
        "List the kinds of meetings the host offers (name, length in minutes, description and "
        "booking link), each with `booking`: what booking it needs from the person (where it "
        "happens, which location to choose, a phone number or a place to ask for, required "
        "questions with their choices) or why it can only be booked by link. Use it when the "
        "person asks what meetings are possible, or before checking availability or booking when "
        "you do not know which meeting type they want.";
    spec.parameters = {{"type", "object"},
                       {"properties", nlohmann::json::object()},
                       {"additionalProperties", false}};
    return spec;
}

asio::awaitable<nlohmann::json> get_available_meeting_types(CalendlyToolContext& context,
                                                            const nlohmann::json& arguments) {
    if (!arguments.is_null() && !arguments.is_object()) {
        co_return tool_error("invalid_arguments",
                             "the arguments must be a JSON object (this tool takes none)");
    }
    auto active = co_await offered_types(context);
    if (!active) {
        co_return calendly_failure_answer(context, "get_available_meeting_types",
                                          "load the meeting types", active.error());
    }
    const auto types = offered_event_types(*active);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& type : types) list.push_back(event_type_with_booking(type));
    std::string message;
    if (types.empty()) {
        message = "The host has no meeting types open for booking right now.";
    } else if (types.size() == 1) {
        message = "The host offers one meeting type: " + list_event_types(types) + ".";
    } else {
        message = "The host offers " + std::to_string(types.size()) +
                  " meeting types: " + list_event_types(types) + ".";
    }
    co_return nlohmann::json{{"event_types", std::move(list)}, {"message", std::move(message)}};
}

}  // namespace calrt::tools

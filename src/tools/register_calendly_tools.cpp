#include "calrt/tools/calendly_tools.hpp"

namespace calrt::tools {

// The handlers are plain lambdas returning the named coroutine's awaitable (no coroutine lambdas:
// GCC 12 destroys the captures of coroutine lambdas twice). The copy of the handler a call runs
// holds `context`, so a call that outlives its dispatch timeout still has it.
void register_calendly_tools(ToolRegistry& registry, std::shared_ptr<CalendlyToolContext> context) {
    registry.add(get_available_meeting_types_spec(), [context](const nlohmann::json& arguments) {
        return get_available_meeting_types(*context, arguments);
    });
    registry.add(check_meeting_availability_spec(context->team != nullptr), [context](const nlohmann::json& arguments) {
        return check_meeting_availability(*context, arguments);
    });
    registry.add(schedule_call_spec(), [context](const nlohmann::json& arguments) {
        return schedule_call(*context, arguments);
    });
    registry.add(book_meeting_spec(!context->caller_number.empty()), [context](const nlohmann::json& arguments) {
        return book_meeting(*context, arguments);
    });
}

}  // namespace calrt::tools

#include "calrt/tools/self_service_tools.hpp"

namespace calrt::tools {

// Plain lambdas returning the named coroutine's awaitable, as register_calendly_tools does (GCC 12
// destroys the captures of coroutine lambdas twice).
void register_self_service_tools(ToolRegistry& registry, std::shared_ptr<SelfServiceToolContext> context) {
    registry.add(find_my_bookings_spec(), [context](const nlohmann::json& arguments) {
        return find_my_bookings(*context, arguments);
    });
    registry.add(cancel_booking_spec(), [context](const nlohmann::json& arguments) {
        return cancel_booking(*context, arguments);
    });
    registry.add(reschedule_booking_spec(), [context](const nlohmann::json& arguments) {
        return reschedule_booking(*context, arguments);
    });
}

}  // namespace calrt::tools

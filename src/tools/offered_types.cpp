// The meeting types a conversation offers: its organization scope's, or the one host's.
#include "calrt/calendly/offered_event_types.hpp"
#include "calrt/tools/calendly_tools.hpp"

namespace calrt::tools {

boost::asio::awaitable<Result<std::vector<calendly::EventType>>> offered_types(CalendlyToolContext& context) {
    if (context.team) co_return co_await scoped_types(*context.team);
    auto types = co_await context.calendly.shared_event_types();
    if (!types) co_return types.error();
    co_return calendly::offered_event_types(**types);
}

}  // namespace calrt::tools

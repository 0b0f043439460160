#include "calrt/tools/shared_calendly_pauses.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/store/webhook_store.hpp"

#include <string>

namespace calrt::tools {
namespace asio = boost::asio;
using std::chrono::system_clock;

namespace {

std::string key_of(std::string_view quota) { return "calendly:paused_until:" + std::string(quota); }

std::int64_t unix_millis(system_clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

void SharedCalendlyPauses::note_failure(std::string_view what, const std::string& message) {
    const std::int64_t now = unix_millis(system_clock::now());
    std::int64_t last = last_failure_logged_ms_.load();
    if (now - last < 60'000 || !last_failure_logged_ms_.compare_exchange_strong(last, now)) return;
    log::warn("the store could not share Calendly's rate-limit pauses; this replica keeps its own",
              {{"action", what}, {"error", message}});
}

asio::awaitable<std::optional<SharedCalendlyPauses::TimePoint>> SharedCalendlyPauses::paused_until(
    std::string_view quota) {
    const auto value = co_await store_.shared_value(key_of(quota));
    std::optional<TimePoint> until;
    if (!value) {
        note_failure("reading", value.error().message);
    } else if (*value > unix_millis(system_clock::now())) {
        until = TimePoint(std::chrono::duration_cast<system_clock::duration>(std::chrono::milliseconds(*value)));
    }
    co_return until;
}

asio::awaitable<void> SharedCalendlyPauses::pause(std::string_view quota, TimePoint until) {
    const auto raised = co_await store_.raise_shared_value(key_of(quota), unix_millis(until));
    if (!raised) note_failure("writing", raised.error().message);
}

}  // namespace calrt::tools

#pragma once
// Calendly's rate-limit pauses kept in the webhook store (calendly/shared_rate_limit_pauses.hpp),
// so that every replica on one PostgreSQL database holds its requests while one of them has been
// told the host's quota is used up (issue 22). One value per quota that only grows, the Unix
// milliseconds until which the quota is paused: a later pause never shortens an earlier one, and
// a replica whose clock reads past it carries on.
//
// Each Calendly request reads it first (one indexed read; Calendly's own answer takes far longer).
// When the store cannot answer, the replica goes on with its own pauses, and logs that once per
// minute at most.

#include <atomic>
#include <chrono>

#include "calrt/calendly/shared_rate_limit_pauses.hpp"

namespace calrt::store {
class WebhookStore;
}

namespace calrt::tools {

class SharedCalendlyPauses final : public calendly::SharedRateLimitPauses {
  public:
    // `store` must outlive every Calendly call made with this.
    explicit SharedCalendlyPauses(store::WebhookStore& store) : store_(store) {}

    boost::asio::awaitable<std::optional<TimePoint>> paused_until(std::string_view quota) override;
    boost::asio::awaitable<void> pause(std::string_view quota, TimePoint until) override;

  private:
    void note_failure(std::string_view what, const std::string& message);

    store::WebhookStore& store_;
    std::atomic<std::int64_t> last_failure_logged_ms_{0};
};

}  // namespace calrt::tools

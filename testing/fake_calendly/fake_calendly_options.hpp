#pragma once
// How a FakeCalendly behaves: its credential, page size limit, the webhook it delivers to, and the
// host's availability.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace calrt::testing {

struct FakeCalendlyOptions {
    // The personal access token clients must send as "Authorization: Bearer <token>".
    std::string access_token = "fake-calendly-token";
    // Calendly's limit for `count` on list endpoints; larger values answer 400.
    std::size_t max_page_size = 100;
    // When set, a seeded organization-scope subscription for invitee.created/invitee.canceled,
    // signed with `webhook_signing_key` (unsigned when that is empty), as the sandbox needs.
    std::string webhook_url;
    std::string webhook_signing_key;
    std::string host_timezone = "America/New_York";

    // The host is bookable on weekdays in [work_start_utc_hour, work_end_utc_hour) UTC, with a slot
    // every `slot_interval` (fixed UTC hours: there is no time zone database to convert with).
    int work_start_utc_hour = 14;
    int work_end_utc_hour = 22;
    std::chrono::minutes slot_interval{30};
    // GET /event_type_available_times and /user_busy_times refuse longer ranges. Calendly allowed
    // 7 days (its reference now says 31 for available times); the fake keeps the stricter limit.
    std::chrono::hours max_availability_range{24 * 7};

    std::uint32_t rate_limit_per_minute = 500;  // X-RateLimit-Limit (Calendly's paid plans)
    // The rate limit window; Calendly's is a minute. Tests shorten it.
    std::chrono::milliseconds rate_limit_window{std::chrono::minutes(1)};
    // Answer 429 to requests beyond the window's limit, as Calendly does. Off by default: the
    // headers are sent, but every request is served.
    bool enforce_rate_limit = false;
    // Serve through a relay that can drop a connection without answering
    // (FaultPlan::drop_after_processing). Off by default: clients talk to the HTTP server itself.
    bool connection_faults = false;
    std::chrono::milliseconds webhook_timeout{5'000};
    // Also seed active event types with each location kind and with required questions
    // (varied_event_types.hpp), as the sandbox does. Off by default: tests count on five.
    bool varied_event_types = false;
    // The fake's clock, for tests that pin "now"; the system clock when empty.
    std::function<std::chrono::system_clock::time_point()> clock;
};

}  // namespace calrt::testing

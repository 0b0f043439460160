#pragma once
// How a FakeCalendly behaves: its credential, page size limit, the webhook it delivers to, the
// host's availability and the organization around it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace calrt::testing {

// The host's Calendly plan, for POST /invitees' limits (testing/fake_calendly/booking_limits.hpp).
enum class FakePlan {
    free,                    // books (since 2026-11-03); no endpoint limit is documented
    trial,                   // 5 bookings a day
    standard,                // paid, non-enterprise: 10 a minute, 50 an hour, 100 a day
    enterprise,              // 500 a minute
    without_scheduling_api,  // 403 "Please upgrade to a paid Calendly account." (Free before 2026-11-03)
};

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
    // GET /event_type_available_times refuses longer ranges with 400 Invalid Argument, a detail on
    // end_time: 31 days since developer.calendly.com/release-notes/2026/7/9 ("up from 7"). Tests
    // set 7 days to stand for an account the change has not reached.
    std::chrono::hours max_availability_range{24 * 31};
    // GET /user_busy_times' limit (7 days: Calendly's note raised only the available times').
    std::chrono::hours max_busy_times_range{24 * 7};
    // POST /invitees' limits by plan; a paid plan by default.
    FakePlan plan = FakePlan::standard;

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

    // The organization. By default it has one member, the token's user, who owns it (a solo
    // Calendly user owns its own organization).
    // The token user's role: "owner", "admin" or "user". A "user" token is refused the
    // organization-wide lists and other members' data, as Calendly refuses a plain member's token.
    std::string token_role = "owner";
    // Seed a small team after everything else (so the identifiers above do not change), for the
    // sandbox and tests (organization_seed.hpp): three more members, a round robin "Sales demo"
    // and a collective "Panel interview".
    bool sandbox_team = false;
    // A large organization, for a benchmark: members "Member 0001"... (slugs member-0001...) with
    // that many personal types each and, with round_robin_hosts over 0, a round robin "Sales demo"
    // (slug sales-demo) hosted by the first round_robin_hosts of them.
    std::size_t generated_members = 0;
    std::size_t event_types_per_generated_member = 0;
    std::size_t round_robin_hosts = 0;

    // The fake's clock, for tests that pin "now"; the system clock when empty.
    std::function<std::chrono::system_clock::time_point()> clock;
};

}  // namespace calrt::testing

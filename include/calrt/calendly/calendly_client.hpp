#pragma once
// The Calendly API v2 client: every Calendly call the service makes goes through here. It adds the
// Bearer token, retries what is safe to retry (retry_policy.hpp), follows pagination to the end (up
// to a cap and a deadline), caches the host user and the event types with a TTL (concurrent misses
// share one upstream call), splits long availability ranges into Calendly-sized windows and caches
// each window's answer briefly, keeps at most max_concurrent_calls requests in flight (reads never
// the last reserved_write_calls of them), and holds new requests while Calendly reports the host's
// rate limit used up.

#include "calrt/calendly/availability_windows.hpp"
#include "calrt/calendly/models.hpp"
#include "calrt/calendly/retry_policy.hpp"
#include "calrt/core/error.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/core/time.hpp"
#include "calrt/net/http_client.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::calendly {

class SharedRateLimitPauses;  // shared_rate_limit_pauses.hpp

struct CalendlyClientOptions {
    std::string base_url = "https://api.calendly.com";
    Secret access_token;
    std::string user_uri;  // the host; resolved once from GET /users/me when empty
    net::HttpClientOptions http;
    RetryOptions retry;
    std::size_t max_list_items = 2'000;  // a runaway account cannot exhaust memory
    // The same cap for the organization's members and event types (organization mode), which a
    // large organization needs more of.
    std::size_t max_directory_items = 20'000;
    std::size_t page_size = 100;         // Calendly's maximum `count`
    std::chrono::milliseconds cache_ttl{std::chrono::minutes(5)};
    std::size_t availability_concurrency = 4;  // windows queried at once
    AvailabilityWindowOptions availability;
    // Every page of one list, together; a list cut short by it says so (GatheredList::truncation).
    std::chrono::milliseconds list_deadline{30'000};
    // Requests in flight at once across all callers; more wait, each until its own deadline.
    std::size_t max_concurrent_calls = 8;
    // Of those, how many reads may never take: only writes (anything but a GET: bookings,
    // cancellations, scheduling links) use the last ones, and waiting writes go before waiting
    // reads, so public reads cannot starve bookings (review N3). Reads keep at least one slot.
    std::size_t reserved_write_calls = 2;
    // New requests wait for the rate limit window's reset while X-RateLimit-Remaining is at most this.
    std::int64_t rate_limit_reserve = 0;
    // How long one availability window's answer is reused; 0 turns the cache off.
    std::chrono::milliseconds availability_cache_ttl{30'000};
    std::size_t availability_cache_entries = 256;  // windows kept; the oldest is dropped first
    // The rate-limit pauses of every replica (shared_rate_limit_pauses.hpp); null: this
    // process's own only.
    std::shared_ptr<SharedRateLimitPauses> shared_pauses{};
};

// Why gathering a list stopped before its last page.
enum class ListTruncation {
    none,
    item_cap,     // max_list_items reached
    deadline,     // list_deadline passed
    no_progress,  // Calendly sent an empty page that still had a next page, or a page token again
};

std::string_view to_string(ListTruncation truncation);

// The items of every page of a list, or of those gathered before `truncation` stopped it.
template <class Model>
struct GatheredList {
    std::vector<Model> items;
    ListTruncation truncation = ListTruncation::none;

    bool truncated() const { return truncation != ListTruncation::none; }
};

struct ScheduledEventQuery {
    bool organization_scope = false;    // the host's whole organization instead of the host alone
    std::optional<std::string> status;  // "active" or "canceled"
    std::optional<Timestamp> min_start_time;
    std::optional<Timestamp> max_start_time;
    std::optional<std::string> invitee_email;
    std::string sort = "start_time:asc";
};

// POST /invitees' `location`: {"kind"} for the kinds Calendly fills in itself (conferencing,
// physical, inbound_call, custom), plus {"location": <the invitee's phone, E.164>} for
// outbound_call or {"location": <the invitee's answer>} for ask_invitee.
struct InviteeLocation {
    std::string kind;
    std::optional<std::string> location;
};

// One entry of POST /invitees' `questions_and_answers`.
struct InviteeAnswer {
    std::string question;  // the custom question's name, as the event type gives it
    std::string answer;    // multi_select: the chosen answers joined with "\n"
    std::int64_t position = 0;
};

struct InviteeRequest {
    std::string event_type_uri;
    Timestamp start_time;
    std::string name;
    std::string email;
    std::string timezone;  // IANA name
    // Default member initializers: callers may leave both out of a braced initializer.
    std::optional<InviteeLocation> location{};  // none: sent without `location`
    std::vector<InviteeAnswer> answers{};       // none: sent without `questions_and_answers`
    // invitee.text_reminder_number, "+14155551234" form: where Calendly texts reminders; none: not sent.
    std::optional<std::string> text_reminder_number{};
};

// The JSON body create_invitee sends for `request` (exposed for tests).
nlohmann::json invitee_request_body(const InviteeRequest& request);

struct WebhookSubscriptionRequest {
    std::string callback_url;
    std::vector<std::string> events;
    std::string scope = "user";  // "user" or "organization"
    Secret signing_key;
};

class CalendlyClient {
public:
    CalendlyClient(boost::asio::any_io_executor executor, CalendlyClientOptions options,
                   MetricsRegistry& metrics, const Clock& clock);
    ~CalendlyClient();
    CalendlyClient(const CalendlyClient&) = delete;
    CalendlyClient& operator=(const CalendlyClient&) = delete;

    // GET /users/me, cached.
    boost::asio::awaitable<Result<User>> current_user();
    // The host user of the last GET /users/me that succeeded, however old, without waiting and
    // without calling Calendly; nullopt when none has succeeded yet. For what must not wait on
    // Calendly (a new chat only wants the host's name). Thread-safe.
    std::optional<User> cached_current_user() const;
    // The host's active event types, all pages, cached.
    boost::asio::awaitable<Result<std::vector<EventType>>> event_types();
    // The same list without copying it: the cached, immutable list itself. The pointer changes
    // only when the list is loaded again, so callers may key what they derive from it on it.
    boost::asio::awaitable<Result<std::shared_ptr<const std::vector<EventType>>>> shared_event_types();
    // The same cached list when it is fresh (and so is the host user it belongs to), without
    // waiting; nullptr when shared_event_types() would have to load something. Counted as a
    // lookup like shared_event_types(). For the cached reads, which then cost no coroutine per
    // layer of the client. Thread-safe.
    std::shared_ptr<const std::vector<EventType>> fresh_event_types();
    // GET /event_types?organization=&active=true: the active event types of the organization
    // (every member's personal types, team types and organization-managed ones), all pages up to
    // max_directory_items (not cached). An owner's or admin's token only: Calendly answers anyone
    // else 403.
    boost::asio::awaitable<Result<GatheredList<EventType>>> organization_event_types(std::string organization_uri);
    // GET /organization_memberships?organization=[&user=]: the organization's members with their
    // roles, all pages up to max_directory_items; with `user`, that user's membership only (what
    // any member may read).
    boost::asio::awaitable<Result<GatheredList<OrganizationMembership>>> organization_memberships(
        std::string organization_uri, std::optional<std::string> user = std::nullopt);
    // GET /event_type_memberships?event_type=: the hosts of an event type, all pages.
    boost::asio::awaitable<Result<std::vector<EventTypeHost>>> event_type_hosts(std::string event_type_uri);
    // GET /event_types/{uuid}.
    boost::asio::awaitable<Result<EventType>> event_type(std::string_view uuid);
    // GET /scheduled_events for the host, all pages up to the cap and the list deadline; the result
    // says when it is not the whole list.
    boost::asio::awaitable<Result<GatheredList<ScheduledEvent>>> scheduled_events(ScheduledEventQuery query);
    boost::asio::awaitable<Result<ScheduledEvent>> scheduled_event(std::string_view uuid);
    boost::asio::awaitable<Result<std::vector<Invitee>>> event_invitees(std::string_view event_uuid);
    // POST /scheduled_events/{uuid}/cancellation; not retried after it may have been processed.
    boost::asio::awaitable<Result<Cancellation>> cancel_event(std::string_view event_uuid, std::string reason);
    // POST /scheduling_links: a single-use link for the event type.
    boost::asio::awaitable<Result<SchedulingLink>> create_scheduling_link(std::string_view event_type_uri);
    // GET /event_type_available_times over [start, end): the 31-day windows (7 for the rest of
    // the process once Calendly answered 400 about a longer range: the request is then made again
    // in 7-day windows) of a grid that starts at midnight UTC today (availability_windows.hpp),
    // queried concurrently, merged sorted without duplicates, and cut to the range asked for; a
    // start in the past is moved to now, an end past the horizon (93 days from today) to the
    // horizon. Each window's answer is cached for availability_cache_ttl, for every request that
    // touches the window (concurrent ones share one upstream call); create_invitee drops the
    // cached windows of its event type.
    boost::asio::awaitable<Result<std::vector<AvailableTime>>> available_times(std::string_view event_type_uri,
                                                                               TimeRange range);
    // GET /user_busy_times for the host.
    boost::asio::awaitable<Result<std::vector<BusyTime>>> busy_times(TimeRange range);
    // POST /invitees: books a meeting; not retried after it may have been processed, not even on a
    // fresh connection when a kept-alive one broke after the request was written. Sends
    // `location` and `questions_and_answers` only when the request has them. A 429 pauses later
    // bookings, never reads (calendly_transport.hpp). A refusal for the host's plan is
    // `calendly_plan_required` (503) and is remembered (booking_refused_by_plan()).
    boost::asio::awaitable<Result<Invitee>> create_invitee(InviteeRequest request);
    // The plan refusal of the last POST /invitees Calendly refused for the host's plan, if any
    // since the process started: bookings should go by single-use link instead (/readyz and the
    // tools say so). Thread-safe.
    std::optional<Error> booking_refused_by_plan() const;
    boost::asio::awaitable<Result<WebhookSubscription>> create_webhook_subscription(WebhookSubscriptionRequest request);
    boost::asio::awaitable<Result<std::vector<WebhookSubscription>>> webhook_subscriptions(std::string scope = "user");
    boost::asio::awaitable<Result<void>> delete_webhook_subscription(std::string_view uuid);

    const std::string& base_url() const;

    // For shutdown: every call in flight, queued or waiting to retry ends now with `shutting_down`
    // (503), and later calls fail the same way, so the io_context can run out of work. Thread-safe.
    void stop();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace calrt::calendly

#include "calrt/calendly/calendly_client.hpp"

#include "bounded_parallel.hpp"
#include "calendly_transport.hpp"
#include "calrt/calendly/page.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/logging.hpp"
#include "invitee_request_body.hpp"
#include "singleflight_cache.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <mutex>
#include <optional>
#include <set>

namespace calrt::calendly {
namespace asio = boost::asio;
using std::chrono::steady_clock;

// GCC 12 fails ("array used as initializer") on braced lists holding string literals inside a
// co_await expression, so request bodies and queries are built in statements before the co_await.
constexpr std::string_view kUsersMePath = "/users/me";
constexpr std::string_view kUsersMeEndpoint = "GET /users/me";
constexpr std::string_view kEventTypesPath = "/event_types";
constexpr std::string_view kEventTypesEndpoint = "GET /event_types";
constexpr std::string_view kAvailableTimesPath = "/event_type_available_times";
constexpr std::string_view kAvailableTimesEndpoint = "GET /event_type_available_times";

using SharedTimes = std::shared_ptr<const std::vector<AvailableTime>>;

// The availability cache's keys of one event type share this prefix. The UUID, not the URI: the
// REST actions build URIs from the configured base, the tools use the URIs Calendly sent.
std::string availability_key_prefix(std::string_view event_type_uri) {
    return uuid_from_uri(event_type_uri).value_or(std::string(event_type_uri)) + "\n";
}

struct CalendlyClient::Impl {
    Impl(asio::any_io_executor ex, CalendlyClientOptions opts, MetricsRegistry& metrics, const Clock& c)
        : executor(ex),
          options(std::move(opts)),
          transport(ex, options, metrics),
          clock(c),
          users(options.cache_ttl),
          event_type_lists(options.cache_ttl),
          availability_windows(options.availability_cache_ttl, options.availability_cache_entries),
          user_lookups(metrics.counter("calendly_cache_lookups_total", "Cached Calendly reads asked for", {{"cache", "user"}})),
          user_loads(metrics.counter("calendly_cache_loads_total", "Cached Calendly reads that went upstream", {{"cache", "user"}})),
          event_type_lookups(metrics.counter("calendly_cache_lookups_total", "Cached Calendly reads asked for", {{"cache", "event_types"}})),
          event_type_loads(metrics.counter("calendly_cache_loads_total", "Cached Calendly reads that went upstream", {{"cache", "event_types"}})),
          availability_lookups(metrics.counter("calendly_cache_lookups_total", "Cached Calendly reads asked for", {{"cache", "availability"}})),
          availability_loads(metrics.counter("calendly_cache_loads_total", "Cached Calendly reads that went upstream", {{"cache", "availability"}})) {}

    asio::any_io_executor executor;
    CalendlyClientOptions options;
    CalendlyTransport transport;
    const Clock& clock;
    SingleflightCache<User> users;
    // Shared and immutable: a cache hit costs a reference count, not a copy of every event type.
    SingleflightCache<std::shared_ptr<const std::vector<EventType>>> event_type_lists;
    // Keyed by event type UUID, window start and end (availability_key_prefix).
    SingleflightCache<SharedTimes> availability_windows;
    Counter& user_lookups;
    Counter& user_loads;
    Counter& event_type_lookups;
    Counter& event_type_loads;
    mutable std::mutex last_user_mutex;
    std::optional<User> last_user;  // for cached_current_user(): kept past the cache's TTL
    Counter& availability_lookups;
    Counter& availability_loads;

    // Follows next_page_token to the end, at most max_list_items items and list_deadline long. An
    // empty page that still has a next page, or a page token seen before, ends the list too: an
    // upstream that does that would otherwise keep us paging forever (review L5).
    template <class Model>
    asio::awaitable<Result<GatheredList<Model>>> list_all(std::string_view path, QueryParams query,
                                                          std::string_view endpoint) {
        const auto deadline = steady_clock::now() + options.list_deadline;
        query.emplace_back("count", std::to_string(options.page_size));
        GatheredList<Model> list;
        std::set<std::string, std::less<>> seen_tokens;
        std::optional<std::string> page_token;
        const auto truncate = [&](ListTruncation why) {
            log::warn("calendly list truncated", {{"endpoint", endpoint},
                                                  {"why", to_string(why)},
                                                  {"items", list.items.size()},
                                                  {"cap", options.max_list_items}});
            list.truncation = why;
        };
        for (;;) {
            if (steady_clock::now() >= deadline) {
                truncate(ListTruncation::deadline);
                co_return list;
            }
            QueryParams page_query = query;
            if (page_token) page_query.emplace_back("page_token", *page_token);
            auto body = co_await transport.call("GET", transport.url(path, page_query), std::nullopt,
                                                RetrySafety::idempotent, endpoint, deadline);
            if (!body) {
                // The pages gathered are still worth having when it was the list's deadline that
                // cut the rest off.
                if (steady_clock::now() >= deadline && !list.items.empty()) {
                    truncate(ListTruncation::deadline);
                    co_return list;
                }
                co_return body.error();
            }
            auto page = parse_page<Model>(*body);
            if (!page) co_return page.error();
            for (auto& item : page->collection) {
                if (list.items.size() >= options.max_list_items) {
                    truncate(ListTruncation::item_cap);
                    co_return list;
                }
                list.items.push_back(std::move(item));
            }
            if (!page->pagination.has_next()) co_return list;
            const std::string& next = *page->pagination.next_page_token;
            if (page->collection.empty() || !seen_tokens.insert(next).second) {
                truncate(ListTruncation::no_progress);
                co_return list;
            }
            page_token = next;
        }
    }

    // A list's items, when a cut-short list is acceptable to the caller (the truncation is logged).
    template <class Model>
    asio::awaitable<Result<std::vector<Model>>> list_items(std::string_view path, QueryParams query,
                                                           std::string_view endpoint) {
        auto list = co_await list_all<Model>(path, std::move(query), endpoint);
        if (!list) co_return list.error();
        co_return std::move(list->items);
    }

    template <class Model>
    asio::awaitable<Result<Model>> get_resource(std::string path, std::string_view endpoint) {
        auto body = co_await transport.call("GET", transport.url(path), std::nullopt, RetrySafety::idempotent, endpoint);
        if (!body) co_return body.error();
        co_return parse_resource<Model>(*body);
    }

    asio::awaitable<Result<std::string>> host_uri() {
        if (!options.user_uri.empty()) co_return options.user_uri;
        auto user = co_await load_user();
        if (!user) co_return user.error();
        co_return user->uri;
    }

    // Loaders are plain lambdas returning a member coroutine's awaitable: GCC 12 destroys the
    // by-value captures of coroutine lambdas twice.
    asio::awaitable<Result<User>> load_user() {
        user_lookups.inc();
        co_return co_await users.get("me", [this] { return fetch_user(); });
    }

    asio::awaitable<Result<User>> fetch_user() {
        user_loads.inc();
        auto user = co_await get_resource<User>(std::string(kUsersMePath), kUsersMeEndpoint);
        if (user) {
            const std::lock_guard lock(last_user_mutex);
            last_user = *user;
        }
        co_return user;
    }

    asio::awaitable<Result<std::shared_ptr<const std::vector<EventType>>>> fetch_event_types(std::string host) {
        event_type_loads.inc();
        QueryParams query;
        query.emplace_back("user", std::move(host));
        query.emplace_back("active", "true");
        auto types = co_await list_items<EventType>(kEventTypesPath, std::move(query), kEventTypesEndpoint);
        if (!types) co_return types.error();
        co_return std::make_shared<const std::vector<EventType>>(std::move(*types));
    }

    // One window of available times, from the cache when it is on.
    asio::awaitable<Result<SharedTimes>> window_times(const std::string& event_type, const TimeRange& window) {
        if (options.availability_cache_ttl.count() <= 0) co_return co_await fetch_window(event_type, window);
        availability_lookups.inc();
        const std::string key = availability_key_prefix(event_type) + format_calendly_time(window.start) + "/" +
                                format_calendly_time(window.end);
        co_return co_await availability_windows.get(key, [this, &event_type, &window] {
            return fetch_window(event_type, window);
        });
    }

    asio::awaitable<Result<SharedTimes>> fetch_window(std::string event_type, TimeRange window) {
        availability_loads.inc();
        QueryParams query;
        query.emplace_back("event_type", std::move(event_type));
        query.emplace_back("start_time", format_calendly_time(window.start));
        query.emplace_back("end_time", format_calendly_time(window.end));
        auto body = co_await transport.call("GET", transport.url(kAvailableTimesPath, query), std::nullopt,
                                            RetrySafety::idempotent, kAvailableTimesEndpoint);
        if (!body) co_return body.error();
        auto times = parse_collection<AvailableTime>(*body);
        if (!times) co_return times.error();
        co_return std::make_shared<const std::vector<AvailableTime>>(std::move(*times));
    }
};

namespace {

Error invalid_uuid(std::string_view what, std::string_view value) {
    return Error::make(ErrorKind::invalid_argument, "invalid_uuid",
                       std::string(what) + " must be a Calendly UUID, got '" + std::string(value) + "'");
}

}  // namespace

std::string_view to_string(ListTruncation truncation) {
    switch (truncation) {
        case ListTruncation::none: return "none";
        case ListTruncation::item_cap: return "item_cap";
        case ListTruncation::deadline: return "deadline";
        case ListTruncation::no_progress: return "no_progress";
    }
    return "unknown";
}

CalendlyClient::CalendlyClient(asio::any_io_executor executor, CalendlyClientOptions options,
                               MetricsRegistry& metrics, const Clock& clock)
    : impl_(std::make_shared<Impl>(executor, std::move(options), metrics, clock)) {}

CalendlyClient::~CalendlyClient() = default;

const std::string& CalendlyClient::base_url() const { return impl_->options.base_url; }

void CalendlyClient::stop() { impl_->transport.stop(); }

asio::awaitable<Result<User>> CalendlyClient::current_user() {
    co_return co_await impl_->load_user();
}

std::optional<User> CalendlyClient::cached_current_user() const {
    const std::lock_guard lock(impl_->last_user_mutex);
    return impl_->last_user;
}

asio::awaitable<Result<std::shared_ptr<const std::vector<EventType>>>> CalendlyClient::shared_event_types() {
    auto host = co_await impl_->host_uri();
    if (!host) co_return host.error();
    impl_->event_type_lookups.inc();
    co_return co_await impl_->event_type_lists.get(*host, [this, &host] { return impl_->fetch_event_types(*host); });
}

asio::awaitable<Result<std::vector<EventType>>> CalendlyClient::event_types() {
    auto shared = co_await shared_event_types();
    if (!shared) co_return shared.error();
    co_return **shared;
}

asio::awaitable<Result<std::vector<EventType>>> CalendlyClient::organization_event_types() {
    auto user = co_await impl_->load_user();
    if (!user) co_return user.error();
    QueryParams query;
    query.emplace_back("organization", user->current_organization);
    query.emplace_back("active", "true");
    co_return co_await impl_->list_items<EventType>(kEventTypesPath, std::move(query), kEventTypesEndpoint);
}

asio::awaitable<Result<EventType>> CalendlyClient::event_type(std::string_view uuid) {
    if (!is_calendly_uuid(uuid)) co_return invalid_uuid("event type", uuid);
    co_return co_await impl_->get_resource<EventType>("/event_types/" + std::string(uuid), "GET /event_types/{uuid}");
}

asio::awaitable<Result<GatheredList<ScheduledEvent>>> CalendlyClient::scheduled_events(ScheduledEventQuery query) {
    QueryParams params;
    if (query.organization_scope) {
        auto user = co_await impl_->load_user();
        if (!user) co_return user.error();
        params.emplace_back("organization", user->current_organization);
    } else {
        auto host = co_await impl_->host_uri();
        if (!host) co_return host.error();
        params.emplace_back("user", *host);
    }
    params.emplace_back("sort", query.sort);
    if (query.status) params.emplace_back("status", *query.status);
    if (query.min_start_time) params.emplace_back("min_start_time", format_calendly_time(*query.min_start_time));
    if (query.max_start_time) params.emplace_back("max_start_time", format_calendly_time(*query.max_start_time));
    if (query.invitee_email) params.emplace_back("invitee_email", *query.invitee_email);
    co_return co_await impl_->list_all<ScheduledEvent>("/scheduled_events", std::move(params), "GET /scheduled_events");
}

asio::awaitable<Result<ScheduledEvent>> CalendlyClient::scheduled_event(std::string_view uuid) {
    if (!is_calendly_uuid(uuid)) co_return invalid_uuid("scheduled event", uuid);
    co_return co_await impl_->get_resource<ScheduledEvent>("/scheduled_events/" + std::string(uuid),
                                                           "GET /scheduled_events/{uuid}");
}

asio::awaitable<Result<std::vector<Invitee>>> CalendlyClient::event_invitees(std::string_view event_uuid) {
    if (!is_calendly_uuid(event_uuid)) co_return invalid_uuid("scheduled event", event_uuid);
    co_return co_await impl_->list_items<Invitee>("/scheduled_events/" + std::string(event_uuid) + "/invitees",
                                                QueryParams{}, "GET /scheduled_events/{uuid}/invitees");
}

asio::awaitable<Result<Cancellation>> CalendlyClient::cancel_event(std::string_view event_uuid, std::string reason) {
    if (!is_calendly_uuid(event_uuid)) co_return invalid_uuid("scheduled event", event_uuid);
    nlohmann::json request = nlohmann::json::object();
    request["reason"] = std::move(reason);
    auto body = co_await impl_->transport.call(
        "POST", impl_->transport.url("/scheduled_events/" + std::string(event_uuid) + "/cancellation"),
        std::move(request), RetrySafety::must_not_repeat, "POST /scheduled_events/{uuid}/cancellation");
    if (!body) co_return body.error();
    co_return parse_resource<Cancellation>(*body);
}

asio::awaitable<Result<SchedulingLink>> CalendlyClient::create_scheduling_link(std::string_view event_type_uri) {
    // Creating an unused single-use link twice is harmless, so it is retried like a read.
    nlohmann::json request = nlohmann::json::object();
    request["max_event_count"] = 1;
    request["owner"] = std::string(event_type_uri);
    request["owner_type"] = "EventType";
    auto body = co_await impl_->transport.call("POST", impl_->transport.url("/scheduling_links"), std::move(request),
                                               RetrySafety::idempotent, "POST /scheduling_links");
    if (!body) co_return body.error();
    co_return parse_resource<SchedulingLink>(*body);
}

asio::awaitable<Result<std::vector<AvailableTime>>> CalendlyClient::available_times(std::string_view event_type_uri,
                                                                                    TimeRange range) {
    auto windows = split_availability_range(range, impl_->clock.now(), impl_->options.availability);
    if (!windows) co_return windows.error();
    std::vector<Result<SharedTimes>> results(windows->size(), SharedTimes{});
    const std::string event_type(event_type_uri);
    co_await run_bounded(impl_->executor, windows->size(), impl_->options.availability_concurrency,
                         [&](std::size_t i) -> asio::awaitable<void> {
                             results[i] = co_await impl_->window_times(event_type, (*windows)[i]);
                         });
    std::vector<std::vector<AvailableTime>> pieces;
    pieces.reserve(results.size());
    for (auto& result : results) {
        if (!result) co_return result.error();
        pieces.push_back(**result);  // a copy: the cached answer stays as it is
    }
    co_return merge_available_times(std::move(pieces), range);
}

asio::awaitable<Result<std::vector<BusyTime>>> CalendlyClient::busy_times(TimeRange range) {
    auto host = co_await impl_->host_uri();
    if (!host) co_return host.error();
    QueryParams query;
    query.emplace_back("user", *host);
    query.emplace_back("start_time", format_calendly_time(range.start));
    query.emplace_back("end_time", format_calendly_time(range.end));
    auto body = co_await impl_->transport.call("GET", impl_->transport.url("/user_busy_times", query), std::nullopt,
                                               RetrySafety::idempotent, "GET /user_busy_times");
    if (!body) co_return body.error();
    co_return parse_collection<BusyTime>(*body);
}

asio::awaitable<Result<Invitee>> CalendlyClient::create_invitee(InviteeRequest request) {
    auto body = invitee_request_body(request);
    auto response = co_await impl_->transport.call("POST", impl_->transport.url("/invitees"), std::move(body),
                                                   RetrySafety::must_not_repeat, "POST /invitees");
    // The booked slot must disappear from the next availability answer at once. Also after a
    // failure: a refused slot may be taken, and a lost answer may hide a booking.
    impl_->availability_windows.invalidate_prefix(availability_key_prefix(request.event_type_uri));
    if (!response) co_return response.error();
    co_return parse_resource<Invitee>(*response);
}

asio::awaitable<Result<WebhookSubscription>> CalendlyClient::create_webhook_subscription(
    WebhookSubscriptionRequest request) {
    auto user = co_await impl_->load_user();
    if (!user) co_return user.error();
    nlohmann::json body{{"url", request.callback_url},
                        {"events", request.events},
                        {"organization", user->current_organization},
                        {"scope", request.scope}};
    if (request.scope == "user") body["user"] = user->uri;
    if (!request.signing_key.empty()) body["signing_key"] = request.signing_key.reveal();
    auto response = co_await impl_->transport.call("POST", impl_->transport.url("/webhook_subscriptions"),
                                                   std::move(body), RetrySafety::must_not_repeat,
                                                   "POST /webhook_subscriptions");
    if (!response) co_return response.error();
    co_return parse_resource<WebhookSubscription>(*response);
}

asio::awaitable<Result<std::vector<WebhookSubscription>>> CalendlyClient::webhook_subscriptions(std::string scope) {
    auto user = co_await impl_->load_user();
    if (!user) co_return user.error();
    QueryParams params{{"organization", user->current_organization}, {"scope", scope}};
    if (scope == "user") params.emplace_back("user", user->uri);
    co_return co_await impl_->list_items<WebhookSubscription>("/webhook_subscriptions", std::move(params),
                                                            "GET /webhook_subscriptions");
}

asio::awaitable<Result<void>> CalendlyClient::delete_webhook_subscription(std::string_view uuid) {
    if (!is_calendly_uuid(uuid)) co_return invalid_uuid("webhook subscription", uuid);
    auto response = co_await impl_->transport.call("DELETE",
                                                   impl_->transport.url("/webhook_subscriptions/" + std::string(uuid)),
                                                   std::nullopt, RetrySafety::idempotent,
                                                   "DELETE /webhook_subscriptions/{uuid}");
    if (!response) co_return response.error();
    co_return Result<void>{};
}

}  // namespace calrt::calendly

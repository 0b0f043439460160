#pragma once
// CalendlyClient's state and the helpers its parts share; private to the calendly module. The
// client's calls live in calendly_client.cpp (users, event types, scheduled events, webhook
// subscriptions), client_availability.cpp (available and busy times) and client_bookings.cpp
// (bookings, cancellations, scheduling links).

#include "calendly_transport.hpp"
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/page.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/logging.hpp"
#include "singleflight_cache.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <set>

namespace calrt::calendly {
namespace asio = boost::asio;

constexpr std::string_view kUsersMePath = "/users/me";
constexpr std::string_view kUsersMeEndpoint = "GET /users/me";
constexpr std::string_view kEventTypesPath = "/event_types";
constexpr std::string_view kEventTypesEndpoint = "GET /event_types";
constexpr std::string_view kAvailableTimesPath = "/event_type_available_times";
constexpr std::string_view kAvailableTimesEndpoint = "GET /event_type_available_times";
// The users cache's only key: the token's own user.
constexpr std::string_view kSharedUserKey = "me";

using SharedTimes = std::shared_ptr<const std::vector<AvailableTime>>;

// The availability cache's keys of one event type share this prefix. The UUID, not the URI: the
// REST actions build URIs from the configured base, the tools use the URIs Calendly sent.
inline std::string availability_key_prefix(std::string_view event_type_uri) {
    return uuid_from_uri(event_type_uri).value_or(std::string(event_type_uri)) + "\n";
}

inline Error invalid_uuid(std::string_view what, std::string_view value) {
    return Error::make(ErrorKind::invalid_argument, "invalid_uuid",
                       std::string(what) + " must be a Calendly UUID, got '" + std::string(value) + "'");
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
    // Shared and immutable, like the event types: the host URI is read from it on every request.
    SingleflightCache<std::shared_ptr<const User>> users;
    // Shared and immutable: a cache hit costs a reference count, not a copy of every event type.
    SingleflightCache<std::shared_ptr<const std::vector<EventType>>> event_type_lists;
    // Keyed by event type UUID and the window's start and end on the grid (availability_key_prefix).
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
                                                          std::string_view endpoint,
                                                          std::optional<std::size_t> item_cap = std::nullopt) {
        const std::size_t max_items = item_cap.value_or(options.max_list_items);
        const auto deadline = std::chrono::steady_clock::now() + options.list_deadline;
        query.emplace_back("count", std::to_string(options.page_size));
        GatheredList<Model> list;
        std::set<std::string, std::less<>> seen_tokens;
        std::optional<std::string> page_token;
        const auto truncate = [&](ListTruncation why) {
            log::warn("calendly list truncated", {{"endpoint", endpoint},
                                                  {"why", to_string(why)},
                                                  {"items", list.items.size()},
                                                  {"cap", max_items}});
            list.truncation = why;
        };
        for (;;) {
            if (std::chrono::steady_clock::now() >= deadline) {
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
                if (std::chrono::steady_clock::now() >= deadline && !list.items.empty()) {
                    truncate(ListTruncation::deadline);
                    co_return list;
                }
                co_return body.error();
            }
            auto page = parse_page<Model>(*body);
            if (!page) co_return page.error();
            for (auto& item : page->collection) {
                if (list.items.size() >= max_items) {
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

    // Every cached read asks for it (the event types are the host's): from the shared user, so
    // that costs a copy of the URI, not of the whole user and its raw JSON.
    asio::awaitable<Result<std::string>> host_uri() {
        if (!options.user_uri.empty()) co_return options.user_uri;
        auto user = co_await shared_user();
        if (!user) co_return user.error();
        co_return (*user)->uri;
    }

    asio::awaitable<Result<User>> load_user() {
        auto user = co_await shared_user();
        if (!user) co_return user.error();
        co_return **user;
    }

    // Loaders are plain lambdas returning a member coroutine's awaitable: GCC 12 destroys the
    // by-value captures of coroutine lambdas twice.
    asio::awaitable<Result<std::shared_ptr<const User>>> shared_user() {
        user_lookups.inc();
        co_return co_await users.get(std::string(kSharedUserKey), [this] { return fetch_user(); });
    }

    asio::awaitable<Result<std::shared_ptr<const User>>> fetch_user() {
        user_loads.inc();
        auto user = co_await get_resource<User>(std::string(kUsersMePath), kUsersMeEndpoint);
        if (!user) co_return user.error();
        {
            const std::lock_guard lock(last_user_mutex);
            last_user = *user;
        }
        co_return std::make_shared<const User>(std::move(*user));
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

    // The availability part (client_availability.cpp).
    // The windows asked for: max_window, or the fallback once Calendly refused a longer range.
    AvailabilityWindowOptions window_options() const;
    // One window of available times, from the cache when it is on.
    asio::awaitable<Result<SharedTimes>> window_times(const std::string& event_type, const AvailabilityWindow& window);
    asio::awaitable<Result<SharedTimes>> fetch_window(std::string event_type, TimeRange window);
    // Every window of `windows`, at most availability_concurrency at once.
    asio::awaitable<std::vector<Result<SharedTimes>>> all_windows(const std::string& event_type,
                                                                  const std::vector<AvailabilityWindow>& windows);
    // Set, once for the process, when Calendly refused a window longer than the fallback's.
    std::atomic<bool> windows_narrowed{false};

    // A plan refusal of POST /invitees, remembered for the process (booking_refused_by_plan()).
    mutable std::mutex plan_refusal_mutex;
    std::optional<Error> plan_refusal;
};


}  // namespace calrt::calendly

// CalendlyClient's availability calls: GET /event_type_available_times over ranges longer than one
// call may ask for, in windows queried concurrently and cached briefly, and GET /user_busy_times.
//
// developer.calendly.com/release-notes/2026/7/9: "The GET /event_type_available_times endpoint
// now supports up to 31 days per request, up from 7"; the reference page
// (api-docs/calendly-api/event-types/list-event-type-available-times) says "Date range can be no
// greater than 31 days". Windows are 31 days long; should Calendly still refuse that (an account
// or region the change has not reached), the request is made again in 7-day windows, and so is
// every later one for the life of the process.

#include "calrt/net/bounded_parallel.hpp"
#include "client_impl.hpp"

namespace calrt::calendly {
namespace {

// Calendly's answer to a range longer than it accepts: 400 with a detail about start_time or
// end_time that speaks of the range. The exact words are not documented; what is known of them
// (a detail on end_time such as "date range can be no greater than 1 week (7 days)") is matched
// loosely, and only a window longer than the fallback's is ever taken for one.
bool refuses_the_range(const Error& error) {
    if (error.code != "calendly_rejected" || error.message.find("HTTP 400") == std::string::npos) return false;
    for (const ErrorDetail& detail : error.details) {
        if (detail.parameter != "end_time" && detail.parameter != "start_time") continue;
        for (std::string_view word : {"range", "days", "greater", "longer", "span"}) {
            if (detail.message.find(word) != std::string::npos) return true;
        }
    }
    return false;
}

}  // namespace

AvailabilityWindowOptions CalendlyClient::Impl::window_options() const {
    AvailabilityWindowOptions windows = options.availability;
    if (windows_narrowed.load(std::memory_order_acquire)) {
        windows.max_window = std::min(windows.max_window, windows.fallback_window);
    }
    return windows;
}

asio::awaitable<Result<SharedTimes>> CalendlyClient::Impl::window_times(const std::string& event_type,
                                                                        const AvailabilityWindow& window) {
    if (options.availability_cache_ttl.count() <= 0) co_return co_await fetch_window(event_type, window.asked);
    availability_lookups.inc();
    // Keyed by the window's place on the grid, not by what was asked: the first window's start
    // moves with the clock, but what Calendly reports for it only loses the slots that have
    // passed since, and merge_available_times drops those.
    const std::string key = availability_key_prefix(event_type) + format_calendly_time(window.aligned.start) + "/" +
                            format_calendly_time(window.aligned.end);
    co_return co_await availability_windows.get(key, [this, &event_type, &window] {
        return fetch_window(event_type, window.asked);
    });
}

asio::awaitable<Result<SharedTimes>> CalendlyClient::Impl::fetch_window(std::string event_type, TimeRange window) {
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

asio::awaitable<std::vector<Result<SharedTimes>>> CalendlyClient::Impl::all_windows(
    const std::string& event_type, const std::vector<AvailabilityWindow>& windows) {
    // A window whose task ended without an answer (it threw) is a failed window (review N14).
    const Result<SharedTimes> unfinished =
        Error::make(ErrorKind::internal, "availability_window_failed", "the open times could not be read; try again");
    co_return co_await net::gather_bounded<Result<SharedTimes>>(
        executor, windows.size(), options.availability_concurrency,
        [this, &event_type, &windows](std::size_t i) { return window_times(event_type, windows[i]); }, unfinished);
}

asio::awaitable<Result<std::vector<AvailableTime>>> CalendlyClient::available_times(std::string_view event_type_uri,
                                                                                    TimeRange range) {
    Impl& impl = *impl_;
    const std::string event_type(event_type_uri);
    AvailabilityWindowOptions window_options = impl.window_options();
    auto plan = split_availability_range(range, impl.clock.now(), window_options);
    if (!plan) co_return plan.error();
    auto results = co_await impl.all_windows(event_type, plan->windows);

    const bool longer_than_fallback =
        std::any_of(plan->windows.begin(), plan->windows.end(), [&](const AvailabilityWindow& window) {
            return window.asked.end - window.asked.start > window_options.fallback_window;
        });
    const bool refused = std::any_of(results.begin(), results.end(), [](const auto& result) {
        return !result && refuses_the_range(result.error());
    });
    if (longer_than_fallback && refused) {
        if (!impl.windows_narrowed.exchange(true, std::memory_order_acq_rel)) {
            log::warn("calendly refused a long availability window; asking in shorter windows from now on",
                      {{"endpoint", kAvailableTimesEndpoint},
                       {"window_days", std::chrono::duration_cast<std::chrono::hours>(window_options.max_window).count() / 24},
                       {"fallback_days",
                        std::chrono::duration_cast<std::chrono::hours>(window_options.fallback_window).count() / 24}});
        }
        window_options = impl.window_options();
        plan = split_availability_range(range, impl.clock.now(), window_options);
        if (!plan) co_return plan.error();
        results = co_await impl.all_windows(event_type, plan->windows);
    }

    std::vector<std::vector<AvailableTime>> pieces;
    pieces.reserve(results.size());
    for (auto& result : results) {
        if (!result) co_return result.error();
        pieces.push_back(**result);  // a copy: the cached answer stays as it is
    }
    co_return merge_available_times(std::move(pieces), plan->answered);
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

}  // namespace calrt::calendly

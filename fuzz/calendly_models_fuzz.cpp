// libFuzzer target: what Calendly answers, read as the Calendly client reads it
// (src/calendly/calendly_client.cpp, calendly_transport.cpp). The input is one response body:
// - as a success, it is parsed as JSON and read by every model as a single resource
//   (parse_resource), a page of a list (parse_page) and a bare collection (parse_collection);
//   available times are merged as the availability windows are; what a model accepts is passed
//   through as the routes pass it (raw, serialized);
// - as a failure, it goes through error_from_calendly_response with one of the statuses it tells
//   apart, and the body's first line as the rate limit headers' values (a 429's wait comes from
//   them).
// Any body must give a model or an upstream_failed "bad_calendly_response", and a failure must map
// to its documented kind with an error body the route can render.
#include "calrt/calendly/availability_windows.hpp"
#include "calrt/calendly/calendly_error.hpp"
#include "calrt/calendly/page.hpp"
#include "calrt/calendly/rate_limit.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace calrt;
using namespace calrt::calendly;

void check(bool holds) {
    if (!holds) __builtin_trap();
}

void check_rejection(const Error& error) {
    check(error.kind == ErrorKind::upstream_failed && error.code == "bad_calendly_response");
    check(!error.message.empty());
}

// What a route does with an accepted model: Calendly's object goes out as it came.
template <class Model>
void pass_through(const Model& model) {
    check(model.raw.is_object());
    (void)model.raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class Model>
void read_as(const nlohmann::json& body) {
    if (auto resource = parse_resource<Model>(body)) {
        pass_through(*resource);
    } else {
        check_rejection(resource.error());
    }
    if (auto page = parse_page<Model>(body)) {
        check(!page->pagination.next_page_token || !page->pagination.next_page_token->empty());
        for (const auto& item : page->collection) pass_through(item);
    } else {
        check_rejection(page.error());
    }
    if (auto collection = parse_collection<Model>(body)) {
        for (const auto& item : *collection) pass_through(item);
    } else {
        check_rejection(collection.error());
    }
}

void merge_as_availability_windows(const nlohmann::json& body) {
    auto times = parse_collection<AvailableTime>(body);
    if (!times || times->empty()) return;
    const auto [first, last] = std::minmax_element(times->begin(), times->end(), [](const auto& a, const auto& b) {
        return a.start_time < b.start_time;
    });
    const TimeRange requested{first->start_time, last->start_time + std::chrono::milliseconds(1)};
    const auto merged = merge_available_times({*times, *times}, requested);
    for (std::size_t i = 1; i < merged.size(); ++i) check(merged[i - 1].start_time < merged[i].start_time);
}

void read_as_success(std::string_view text) {
    // The transport reads an empty 2xx body as null, anything else must be JSON.
    const auto body = text.empty() ? nlohmann::json() : nlohmann::json::parse(text, nullptr, false);
    if (body.is_discarded()) return;
    read_as<User>(body);
    read_as<EventType>(body);
    read_as<AvailableTime>(body);
    read_as<BusyTime>(body);
    read_as<SchedulingLink>(body);
    read_as<Cancellation>(body);
    read_as<ScheduledEvent>(body);
    read_as<Invitee>(body);
    read_as<WebhookSubscription>(body);
    // Organization mode: members and the hosts of a team type (read leniently: member or user).
    read_as<OrganizationMembership>(body);
    read_as<EventTypeHost>(body);
    merge_as_availability_windows(body);
}

void read_as_failure(std::string_view text) {
    const std::string_view header = text.substr(0, std::min<std::size_t>(text.find('\n'), 64));
    const RateLimitHeaders rate_limit{header, header, header, header};
    if (auto wait = rate_limit.wait()) check(wait->count() >= 0 && *wait <= std::chrono::hours(24));
    (void)rate_limit.remaining_requests();

    struct Expected {
        unsigned status;
        ErrorKind kind;
    };
    static constexpr std::array<Expected, 9> kStatuses{{{400, ErrorKind::upstream_failed},
                                                         {401, ErrorKind::upstream_failed},
                                                         {403, ErrorKind::upstream_failed},
                                                         {404, ErrorKind::not_found},
                                                         {422, ErrorKind::upstream_failed},
                                                         {429, ErrorKind::rate_limited},
                                                         {500, ErrorKind::upstream_failed},
                                                         {503, ErrorKind::upstream_failed},
                                                         {302, ErrorKind::upstream_failed}}};
    // One status per input (by its length), not all of them: each reading parses the body again.
    const Expected& expected = kStatuses[text.size() % kStatuses.size()];
    const Error error = error_from_calendly_response(expected.status, text, rate_limit);
    // A 403 says one of several things (calendly_error.hpp): a plan that does not allow booking
    // through the API (not_configured), a meeting that cannot be canceled (conflict), or a
    // missing permission (upstream_failed).
    const bool forbidden_kind = expected.status == 403 && (error.kind == ErrorKind::not_configured ||
                                                           error.kind == ErrorKind::conflict);
    check((error.kind == expected.kind || forbidden_kind) && !error.code.empty());
    if (expected.status == 429) check(error.retry_after && error.retry_after->count() >= 1);
    const auto rendered = server::error_response(error);
    check(!nlohmann::json::parse(rendered.body, nullptr, false).is_discarded());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    read_as_success(text);
    read_as_failure(text);
    return 0;
}

// libFuzzer target: what callers send to /api/calendly, through the actions' own request parsers
// (src/server/calendly_action_requests.cpp). The input is used twice:
// - as a POST body, the way the route reads it: JSON parse, ActionParams::from_json_body, then the
//   request parser of every action (the router picks one by "action"; each must cope with any
//   object, so all of them run);
// - as already-decoded query parameters (split at '&' and '='; the decoding itself belongs to the
//   HTTP head target), which reach the GET actions' parsers as any bytes, not only valid UTF-8.
// Whatever arrives must give a request or a 400 rendered as the route renders it, and what a parser
// accepts must hold what its handler relies on.
#include "server/calendly_action_requests.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace calrt;
using namespace calrt::server;

// A fixed "now", so that a crash reproduces: 2026-01-01T00:00:00Z.
const Timestamp kNow{std::chrono::milliseconds(1'767'225'600'000)};

TimeZoneCache& zones() {
    static TimeZoneCache cache;  // zones load from /usr/share/zoneinfo once each, as in the service
    return cache;
}

void check(bool holds) {
    if (!holds) __builtin_trap();
}

// A refused request is a 400 with a code, rendered as JSON.
void check_refusal(const Error& error) {
    check(error.kind == ErrorKind::invalid_argument && !error.code.empty() && !error.message.empty());
    const Response response = error_response(error);
    check(response.status == 400);
    check(!nlohmann::json::parse(response.body, nullptr, false).is_discarded());
}

template <class T, class Accepted>
void run(const Result<T>& result, Accepted&& accepted) {
    if (result) {
        accepted(*result);
    } else {
        check_refusal(result.error());
    }
}

void parse_every_action(const ActionParams& params) {
    run(event_info_request_from(params),
        [](const EventInfoRequest& request) { check(calendly::is_calendly_uuid(request.event_type_id)); });
    run(availability_request_from(params, zones()), [](const AvailabilityRequest& request) {
        check(calendly::is_calendly_uuid(request.event_type_id));
        check(request.range.start < request.range.end);
        if (request.time_zone) (void)request.time_zone->to_local(request.range.start).to_rfc3339();
    });
    run(scheduled_events_query_from(params), [](const calendly::ScheduledEventQuery& query) {
        if (query.status) check(*query.status == "active" || *query.status == "canceled");
        if (query.min_start_time && query.max_start_time) check(*query.min_start_time < *query.max_start_time);
        if (query.invitee_email) check(!query.invitee_email->empty());
    });
    run(create_link_request_from(params), [](const calendly::PersonalizedLinkRequest& request) {
        check(!request.prefill.name.empty() && !request.prefill.email.empty());
        if (request.event_type) check(calendly::is_calendly_uuid(*request.event_type));
    });
    run(book_request_from(params, kNow, zones()), [](const BookRequest& request) {
        check(calendly::is_calendly_uuid(request.event_type_id));
        check(request.start_time > kNow);
        check(!request.name.empty() && !request.email.empty() && !request.time_zone.name().empty());
    });
    run(cancel_request_from(params),
        [](const CancelRequest& request) { check(calendly::is_calendly_uuid(request.event_uuid)); });
}

std::vector<std::pair<std::string, std::string>> split_query(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> pairs;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view pair = text.substr(0, amp);
        const auto eq = pair.find('=');
        pairs.emplace_back(pair.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        text.remove_prefix(amp + 1);
    }
    return pairs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    // POST /api/calendly (calendly_routes.cpp): the same three steps before dispatch.
    const auto body = nlohmann::json::parse(input, nullptr, false);
    if (!body.is_discarded()) {
        auto params = ActionParams::from_json_body(body);
        if (params) {
            parse_every_action(*params);
        } else {
            check_refusal(params.error());
        }
    }

    // GET /api/calendly: the query's pairs.
    parse_every_action(ActionParams::from_query(split_query(input)));
    return 0;
}

#include <algorithm>
#include <cctype>

#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/organization_access.hpp"
#include "testing/fake_calendly/pagination.hpp"
#include "testing/fake_calendly/request_params.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

bool same_email(std::string_view a, std::string_view b) { return server::iequals(a, b); }

CalendlyResult<std::optional<std::string>> status_filter(const server::Request& request) {
    const auto status = request.query_param("status");
    if (!status) return std::optional<std::string>{};
    if (*status != "active" && *status != "canceled")
        return invalid_parameter("status", "must be active or canceled");
    return std::optional<std::string>{std::string(*status)};
}

CalendlyResult<server::Response> list_events(FakeState& fake, const server::Request& request) {
    const auto scope = list_scope(fake, request);
    if (!scope) return scope.error();
    const auto status = status_filter(request);
    if (!status) return status.error();
    const auto min_start = optional_time(request, "min_start_time");
    if (!min_start) return min_start.error();
    const auto max_start = optional_time(request, "max_start_time");
    if (!max_start) return max_start.error();
    const auto descending = sort_descending(request, "start_time");
    if (!descending) return descending.error();
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();
    const auto invitee_email = request.query_param("invitee_email");

    auto events = fake.store.scheduled_events();
    std::erase_if(events, [&](const ScheduledEventRecord& event) {
        // One member's: the meetings it hosts.
        if (scope->member && std::find(event.host_uuids.begin(), event.host_uuids.end(),
                                       scope->member->user.uuid) == event.host_uuids.end())
            return true;
        if (*status && event.status != **status) return true;
        if (*min_start && event.start < **min_start) return true;
        if (*max_start && event.start >= **max_start) return true;
        if (invitee_email) {
            return std::none_of(
                event.invitees.begin(), event.invitees.end(),
                [&](const auto& invitee) { return same_email(invitee.email, *invitee_email); });
        }
        return false;
    });
    std::sort(events.begin(), events.end(), [desc = *descending](const auto& a, const auto& b) {
        return desc ? b.start < a.start : a.start < b.start;
    });
    return calendly_json_response(
        200, paginate(
                 events.size(), [&](std::size_t i) { return fake.scheduled_event_json(events[i]); },
                 *page, fake.resources().uris().base(), request));
}

CalendlyResult<server::Response> list_invitees(FakeState& fake, const server::Request& request) {
    const auto event = fake.store.scheduled_event(request.path_param("uuid").value_or(""));
    if (!event) return resource_not_found();
    const auto status = status_filter(request);
    if (!status) return status.error();
    const auto descending = sort_descending(request, "created_at");
    if (!descending) return descending.error();
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();
    const auto email = request.query_param("email");

    auto invitees = event->invitees;
    std::erase_if(invitees, [&](const InviteeRecord& invitee) {
        return (*status && invitee.status != **status) ||
               (email && !same_email(invitee.email, *email));
    });
    std::sort(invitees.begin(), invitees.end(), [desc = *descending](const auto& a, const auto& b) {
        return desc ? b.created_at < a.created_at : a.created_at < b.created_at;
    });
    nlohmann::json items = nlohmann::json::array();
    for (const auto& invitee : invitees) items.push_back(fake.resources().invitee(*event, invitee));
    return calendly_json_response(200,
                                  paginate(items, *page, fake.resources().uris().base(), request));
}

CalendlyResult<server::Response> get_invitee(FakeState& fake, const server::Request& request) {
    const auto event = fake.store.scheduled_event(request.path_param("event_uuid").value_or(""));
    if (!event) return resource_not_found();
    const auto invitee_uuid = request.path_param("invitee_uuid").value_or("");
    for (const auto& invitee : event->invitees) {
        if (invitee.uuid == invitee_uuid) {
            return calendly_json_response(
                200, {{"resource", fake.resources().invitee(*event, invitee)}});
        }
    }
    return resource_not_found();
}

CalendlyResult<server::Response> cancel_event(FakeState& fake, const server::Request& request) {
    std::string reason;
    if (!request.body.empty()) {
        const auto body = json_object_body(request);
        if (!body) return body.error();
        const auto given = string_field(*body, "reason", "reason");
        if (!given) return given.error();
        reason = given->value_or("");
        if (reason.size() > 10'000)
            return invalid_parameter("reason", "must be at most 10000 characters");
    }
    auto outcome =
        fake.store.cancel(request.path_param("uuid").value_or(""), std::move(reason), fake.now());
    if (!outcome) return outcome.error();
    for (const auto& invitee : outcome->event.invitees) {
        const bool canceled_now = invitee.cancellation && invitee.cancellation->created_at ==
                                                              outcome->cancellation.created_at;
        if (canceled_now) fake.publish_invitee_event("invitee.canceled", outcome->event, invitee);
    }
    return calendly_json_response(
        201, {{"resource", fake.resources().cancellation(outcome->cancellation)}});
}

}  // namespace

void add_scheduled_event_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/scheduled_events", api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(list_events(fake, request));
               }));
    router.get(
        "/scheduled_events/{uuid}", api_route(state, [](FakeState& fake, server::Request& request) {
            const auto event = fake.store.scheduled_event(request.path_param("uuid").value_or(""));
            if (!event) return calendly_error_response(resource_not_found());
            return calendly_json_response(
                200, {{"resource", fake.scheduled_event_json(*event)}});
        }));
    router.get("/scheduled_events/{uuid}/invitees",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(list_invitees(fake, request));
               }));
    router.get("/scheduled_events/{event_uuid}/invitees/{invitee_uuid}",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(get_invitee(fake, request));
               }));
    router.post("/scheduled_events/{uuid}/cancellation",
                api_route(state, [](FakeState& fake, server::Request& request) {
                    return to_response(cancel_event(fake, request));
                }));
}

}  // namespace calrt::testing::fake

#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/booking_checks.hpp"
#include "testing/fake_calendly/request_params.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

using nlohmann::json;

// POST /scheduling_links: {"max_event_count": 1, "owner": <URI>, "owner_type": "EventType"}
CalendlyResult<server::Response> create_scheduling_link(FakeState& fake,
                                                        const server::Request& request) {
    const auto body = json_object_body(request);
    if (!body) return body.error();
    std::vector<CalendlyErrorDetail> problems;
    const auto count = body->find("max_event_count");
    if (count == body->end() || count->is_null()) {
        problems.push_back({"max_event_count", "is required"});
    } else if (!count->is_number() || count->get<double>() != 1.0) {
        problems.push_back({"max_event_count", "must be equal to 1"});
    }
    const auto owner = string_field(*body, "owner", "owner");
    if (!owner) return owner.error();
    if (!*owner || (*owner)->empty()) problems.push_back({"owner", "is required"});
    const auto owner_type = string_field(*body, "owner_type", "owner_type");
    if (!owner_type) return owner_type.error();
    if (!*owner_type) {
        problems.push_back({"owner_type", "is required"});
    } else if (**owner_type != "EventType") {
        problems.push_back({"owner_type", "must be EventType"});
    }
    if (!problems.empty()) return invalid_argument(std::move(problems));

    const auto uuid = fake.resources().uris().uuid_in(**owner, "event_types");
    const auto type = uuid ? fake.store.event_type(*uuid) : std::nullopt;
    if (!type) return resource_not_found();
    const auto link = fake.store.create_link(type->uuid, fake.now());
    return calendly_json_response(
        201, {{"resource",
               {{"booking_url", fake.resources().uris().booking_link(link.id, type->slug)},
                {"owner", **owner},
                {"owner_type", "EventType"}}}});
}

// The invitee part of POST /invitees: email and timezone required, name or first_name required.
CalendlyResult<InviteeRecord> invitee_from(const json& body) {
    const auto it = body.find("invitee");
    if (it == body.end() || !it->is_object()) return invalid_parameter("invitee", "is required");
    const json& given = *it;
    InviteeRecord invitee;
    std::vector<CalendlyErrorDetail> problems;
    auto text = [&](const char* key, std::string& out) -> CalendlyResult<void> {
        auto value = string_field(given, key, std::string("invitee.") + key);
        if (!value) return value.error();
        out = value->value_or("");
        return {};
    };
    for (auto [key, field] :
         {std::pair{"email", &invitee.email}, std::pair{"timezone", &invitee.timezone},
          std::pair{"name", &invitee.name}, std::pair{"first_name", &invitee.first_name},
          std::pair{"last_name", &invitee.last_name},
          std::pair{"text_reminder_number", &invitee.text_reminder_number}}) {
        if (auto read = text(key, *field); !read) return read.error();
    }
    if (invitee.email.empty()) {
        problems.push_back({"invitee.email", "is required"});
    } else if (invitee.email.find('@') == std::string::npos) {
        problems.push_back({"invitee.email", "must be a valid email address"});
    }
    if (invitee.timezone.empty()) problems.push_back({"invitee.timezone", "is required"});
    if (invitee.name.empty() && invitee.first_name.empty()) {
        problems.push_back({"invitee.name", "name or first_name is required"});
    }
    if (!problems.empty()) return invalid_argument(std::move(problems));
    if (invitee.name.empty()) {
        invitee.name =
            invitee.first_name + (invitee.last_name.empty() ? "" : " " + invitee.last_name);
    }
    return invitee;
}

// POST /invitees (Calendly's Scheduling API, "Create Event Invitee"): books `start_time` of
// `event_type` for `invitee` when that time is open, and delivers invitee.created.
CalendlyResult<server::Response> create_invitee(FakeState& fake, const server::Request& request) {
    if (auto refused = fake.booking_limits.admit(fake.options.plan, fake.now())) return *refused;
    const auto body = json_object_body(request);
    if (!body) return body.error();
    const auto event_type = string_field(*body, "event_type", "event_type");
    if (!event_type) return event_type.error();
    if (!*event_type || (*event_type)->empty())
        return invalid_parameter("event_type", "is required");
    const auto start_text = string_field(*body, "start_time", "start_time");
    if (!start_text) return start_text.error();
    if (!*start_text) return invalid_parameter("start_time", "is required");
    const auto start = parse_rfc3339(**start_text);
    if (!start) return invalid_parameter("start_time", "must be a valid ISO 8601 date-time in UTC");
    auto invitee = invitee_from(*body);
    if (!invitee) return invitee.error();
    if (const auto answers = body->find("questions_and_answers");
        answers != body->end() && answers->is_array()) {
        invitee->questions_and_answers = *answers;
    }

    const auto uuid = fake.resources().uris().uuid_in(**event_type, "event_types");
    const auto type = uuid ? fake.store.event_type(*uuid) : std::nullopt;
    if (!type) return resource_not_found();
    auto details = check_booking_details(*type, *body);
    if (!details) return details.error();
    auto outcome = fake.store.book(
        {*uuid, *start, std::move(*invitee), "api", details->location_kind, details->location},
        fake.now());
    if (!outcome) return outcome.error();
    fake.publish_invitee_event("invitee.created", outcome->event, outcome->invitee);
    return calendly_json_response(
        201, {{"resource", fake.resources().invitee(outcome->event, outcome->invitee)}});
}

}  // namespace

void add_scheduling_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.post("/scheduling_links",
                api_route(state, [](FakeState& fake, server::Request& request) {
                    return to_response(create_scheduling_link(fake, request));
                }));
    router.post("/invitees", api_route(state, [](FakeState& fake, server::Request& request) {
                    return to_response(create_invitee(fake, request));
                }));
}

}  // namespace calrt::testing::fake

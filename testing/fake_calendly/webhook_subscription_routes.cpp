#include <algorithm>
#include <boost/url/parse.hpp>

#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/organization_access.hpp"
#include "testing/fake_calendly/pagination.hpp"
#include "testing/fake_calendly/request_params.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

using nlohmann::json;

// event_type.*: developer.calendly.com/release-notes/2026/10/23 ("The API already accepts and
// returns these events").
constexpr std::string_view kEvents[] = {"invitee.created",        "invitee.canceled",
                                        "invitee_no_show.created", "invitee_no_show.deleted",
                                        "routing_form_submission.created", "event_type.created",
                                        "event_type.updated",     "event_type.deleted"};

// The member a user-scope subscription is for: the token's own user, or (for an owner or admin
// token) any member.
CalendlyResult<MemberRecord> subscription_user(const FakeState& fake, std::string_view user_uri,
                                               const char* refusal) {
    const auto uuid = fake.resources().uris().uuid_in(user_uri, "users");
    auto member = uuid ? fake.store.member(*uuid) : std::nullopt;
    if (!member || (!token_is_admin(fake) && member->user.uuid != fake.store.host().uuid))
        return permission_denied(refusal);
    return std::move(*member);
}

bool is_http_url(std::string_view text) {
    const auto url = boost::urls::parse_absolute_uri(text);
    return url && (url->scheme() == "https" || url->scheme() == "http") && !url->host().empty();
}

CalendlyResult<server::Response> create_subscription(FakeState& fake,
                                                     const server::Request& request) {
    const auto body = json_object_body(request);
    if (!body) return body.error();
    std::vector<CalendlyErrorDetail> problems;
    const auto url = string_field(*body, "url", "url");
    if (!url) return url.error();
    if (!*url) {
        problems.push_back({"url", "is required"});
    } else if (!is_http_url(**url)) {
        problems.push_back({"url", "must be a valid URL"});
    }
    std::vector<std::string> events;
    const auto listed = body->find("events");
    if (listed == body->end() || !listed->is_array() || listed->empty()) {
        problems.push_back({"events", "must be a non-empty array"});
    } else {
        for (const auto& event : *listed) {
            const bool known =
                event.is_string() && std::find(std::begin(kEvents), std::end(kEvents),
                                               event.get<std::string>()) != std::end(kEvents);
            if (!known) {
                problems.push_back({"events", "contains an unknown event"});
                break;
            }
            events.push_back(event.get<std::string>());
        }
    }
    const auto organization = string_field(*body, "organization", "organization");
    if (!organization) return organization.error();
    if (!*organization) problems.push_back({"organization", "is required"});
    const auto scope = string_field(*body, "scope", "scope");
    if (!scope) return scope.error();
    if (!*scope || (**scope != "organization" && **scope != "user")) {
        problems.push_back({"scope", "must be organization or user"});
    }
    const auto user = string_field(*body, "user", "user");
    if (!user) return user.error();
    if (*scope && **scope == "user" && !*user)
        problems.push_back({"user", "is required for the user scope"});
    const auto signing_key = string_field(*body, "signing_key", "signing_key");
    if (!signing_key) return signing_key.error();
    if (!problems.empty()) return invalid_argument(std::move(problems));

    const HostUser host = fake.store.host();
    const auto& uris = fake.resources().uris();
    if (**organization != uris.organization(host.organization_uuid)) {
        return permission_denied("You do not have permission to access this resource.");
    }
    // Calendly: only an owner or admin token subscribes to the whole organization.
    if (**scope == "organization") {
        if (auto admin = require_admin_token(fake); !admin) return admin.error();
    }
    std::string user_uuid;
    if (*user) {
        const auto member = subscription_user(fake, **user, "You do not have permission");
        if (!member) return member.error();
        user_uuid = member->user.uuid;
    }

    WebhookSubscriptionRecord subscription;
    subscription.uuid = fake.store.ids().uuid();
    subscription.callback_url = **url;
    subscription.events = std::move(events);
    subscription.scope = **scope;
    subscription.user_uuid = **scope == "user" ? user_uuid : std::string();
    subscription.signing_key = signing_key->value_or("");
    subscription.created_at = subscription.updated_at = fake.now();
    auto added = fake.subscriptions.add(std::move(subscription));
    if (!added) return added.error();
    return calendly_json_response(
        201, {{"resource", fake.resources().webhook_subscription(*added, host)}});
}

CalendlyResult<server::Response> list_subscriptions(FakeState& fake,
                                                    const server::Request& request) {
    const auto organization = request.query_param("organization");
    if (!organization) return invalid_parameter("organization", "is required");
    const auto scope = request.query_param("scope");
    if (!scope || (*scope != "organization" && *scope != "user")) {
        return invalid_parameter("scope", "must be organization or user");
    }
    const auto user = request.query_param("user");
    if (*scope == "user" && !user)
        return invalid_parameter("user", "is required for the user scope");
    const HostUser host = fake.store.host();
    const auto& uris = fake.resources().uris();
    if (*organization != uris.organization(host.organization_uuid)) {
        return permission_denied("You do not have permission");
    }
    if (*scope == "organization") {
        if (auto admin = require_admin_token(fake); !admin) return admin.error();
    }
    std::string user_uuid;
    if (user) {
        const auto member = subscription_user(fake, *user, "Unauthorized");
        if (!member) return member.error();
        user_uuid = member->user.uuid;
    }
    const auto descending = sort_descending(request, "created_at");
    if (!descending) return descending.error();
    const auto page = parse_page_request(request, fake.options.max_page_size);
    if (!page) return page.error();

    auto subscriptions = fake.subscriptions.all();
    std::erase_if(subscriptions, [&](const auto& s) {
        return s.scope != *scope || (*scope == "user" && s.user_uuid != user_uuid);
    });
    std::stable_sort(subscriptions.begin(), subscriptions.end(),
                     [desc = *descending](const auto& a, const auto& b) {
                         return desc ? b.created_at < a.created_at : a.created_at < b.created_at;
                     });
    json items = json::array();
    for (const auto& subscription : subscriptions)
        items.push_back(fake.resources().webhook_subscription(subscription, host));
    return calendly_json_response(200, paginate(items, *page, uris.base(), request));
}

}  // namespace

void add_webhook_subscription_routes(server::Router& router,
                                     const std::shared_ptr<FakeState>& state) {
    router.post("/webhook_subscriptions",
                api_route(state, [](FakeState& fake, server::Request& request) {
                    return to_response(create_subscription(fake, request));
                }));
    router.get("/webhook_subscriptions",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   return to_response(list_subscriptions(fake, request));
               }));
    router.get("/webhook_subscriptions/{uuid}",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   const auto subscription =
                       fake.subscriptions.find(request.path_param("uuid").value_or(""));
                   if (!subscription) return calendly_error_response(resource_not_found());
                   return calendly_json_response(
                       200, {{"resource", fake.resources().webhook_subscription(
                                              *subscription, fake.store.host())}});
               }));
    router.add("DELETE", "/webhook_subscriptions/{uuid}",
               api_route(state, [](FakeState& fake, server::Request& request) {
                   if (!fake.subscriptions.remove(request.path_param("uuid").value_or(""))) {
                       return calendly_error_response(resource_not_found());
                   }
                   server::Response no_content;
                   no_content.status = 204;
                   return no_content;
               }));
}

}  // namespace calrt::testing::fake

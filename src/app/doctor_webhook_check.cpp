// `doctor`'s webhook line: is there an active subscription delivering invitee.created and
// invitee.canceled to this service's public URL?
#include "doctor_calendly_call.hpp"
#include "doctor_calendly_checks.hpp"

#include "calrt/calendly/page.hpp"

#include <algorithm>
#include <optional>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kWebhookPath = "/api/calendly/webhook";
constexpr std::string_view kNeededEvents[] = {"invitee.created", "invitee.canceled"};
constexpr std::size_t kMaxPages = 10;

std::string webhook_url(std::string base) {
    while (base.ends_with('/')) base.pop_back();
    return base + std::string(kWebhookPath);
}

std::string register_command(const std::string& url, const std::string& scope = "user") {
    return "calendly-realtime webhooks register --url " + url + (scope == "user" ? "" : " --scope " + scope) +
           " (with CALENDLY_WEBHOOK_SECRET set: Calendly signs deliveries with it)";
}

struct Listed {
    std::optional<CalendlyCallOutcome> refused;  // set when the list could not be read
    std::vector<calendly::WebhookSubscription> subscriptions;
};

// GET /webhook_subscriptions for one scope, every page (developer.calendly.com, "List Webhook
// Subscriptions": `organization` and `scope` are required, `user` too for the user scope).
asio::awaitable<Listed> list_subscriptions(DoctorContext& context, const std::string& scope,
                                           const std::string& host_uri, const std::string& organization_uri) {
    Listed listed;
    std::optional<std::string> page_token;
    for (std::size_t page = 0; page < kMaxPages; ++page) {
        std::vector<std::pair<std::string, std::string>> query = {
            {"organization", organization_uri}, {"scope", scope}, {"count", "100"}};
        if (scope == "user") query.emplace_back("user", host_uri);
        if (page_token) query.emplace_back("page_token", *page_token);
        auto answer = co_await calendly_get(context, "/webhook_subscriptions", query);
        if (!answer.ok()) {
            listed.refused = std::move(answer);
            co_return listed;
        }
        auto parsed = calendly::parse_page<calendly::WebhookSubscription>(answer.body);
        if (!parsed) {
            answer.kind = CalendlyCallOutcome::Kind::failed;
            answer.what = "an unreadable list: " + parsed.error().message;
            listed.refused = std::move(answer);
            co_return listed;
        }
        for (auto& subscription : parsed->collection) listed.subscriptions.push_back(std::move(subscription));
        if (!parsed->pagination.has_next()) break;
        page_token = parsed->pagination.next_page_token;
    }
    co_return listed;
}

std::vector<std::string> missing_events(const calendly::WebhookSubscription& subscription) {
    std::vector<std::string> missing;
    for (const auto event : kNeededEvents) {
        if (std::find(subscription.events.begin(), subscription.events.end(), event) == subscription.events.end()) {
            missing.emplace_back(event);
        }
    }
    return missing;
}

}  // namespace

asio::awaitable<void> check_webhook_subscription(DoctorContext& context, const std::string& host_uri,
                                                 const std::string& organization_uri, bool organization_mode) {
    auto& report = context.report;
    const auto& public_base_url = context.config.deployment.public_base_url;
    // Without a signing key the webhook route answers 503 anyway: the host has not set webhooks up,
    // and the service works without them (bookings are not confirmed live).
    const bool webhooks_wanted = !context.config.calendly.webhook_secret.empty();
    if (public_base_url.empty()) {
        report.warn("calendly.webhook", "not checked: PUBLIC_BASE_URL is not set, so the doctor does not know which "
                                        "URL Calendly should deliver to.",
                    "set PUBLIC_BASE_URL to the URL at which Calendly reaches this service.");
        co_return;
    }
    const std::string url = webhook_url(public_base_url);

    const std::string user_scope = "user";
    const std::string organization_scope = "organization";
    auto listed = co_await list_subscriptions(context, user_scope, host_uri, organization_uri);
    if (listed.refused) {
        if (listed.refused->kind == CalendlyCallOutcome::Kind::missing_scope) {
            report.warn("calendly.webhook",
                        "not checked: " + missing_scope_text(*listed.refused, "webhooks:read") + ".",
                        "add webhooks:read (and webhooks:write, to register) to the token, or check the subscription "
                        "for " + url + " in Calendly yourself.");
        } else {
            report.warn("calendly.webhook", "not checked: the subscriptions could not be listed: " +
                                                listed.refused->what + ".",
                        "run calendly-realtime webhooks list, or check the subscription for " + url + " in Calendly.");
        }
        co_return;
    }
    // An organization-scope subscription serves too (the sandbox's is one); listing them needs
    // an organization admin, so a refusal here is no finding.
    auto organization = co_await list_subscriptions(context, organization_scope, host_uri, organization_uri);
    if (!organization.refused) {
        for (auto& subscription : organization.subscriptions) listed.subscriptions.push_back(std::move(subscription));
    }

    const calendly::WebhookSubscription* best = nullptr;
    for (const auto& subscription : listed.subscriptions) {
        if (subscription.callback_url != url) continue;
        // Every member's bookings reach an organization-scope subscription only.
        if (organization_mode && subscription.scope != organization_scope) continue;
        const bool complete = subscription.state == "active" && missing_events(subscription).empty();
        if (!best || complete) best = &subscription;
        if (complete) break;
    }
    if (!best && organization_mode) {
        report.fail("calendly.webhook",
                    "no organization-scope webhook subscription delivers to " + url +
                        ": the organization's bookings are not confirmed live and cancellations are not seen.",
                    "run " + register_command(url, organization_scope) + ".");
        co_return;
    }
    if (!best) {
        const std::string found = "no webhook subscription delivers to " + url + " (" +
                                  std::to_string(listed.subscriptions.size()) +
                                  " other subscriptions found): bookings are not confirmed live and cancellations "
                                  "are not seen.";
        if (webhooks_wanted) {
            report.fail("calendly.webhook", found, "run " + register_command(url) + ".");
        } else {
            report.warn("calendly.webhook", found + " CALENDLY_WEBHOOK_SECRET is not set either.",
                        "set CALENDLY_WEBHOOK_SECRET, then run " + register_command(url) + ".");
        }
        co_return;
    }
    if (best->state != "active") {
        // developer.calendly.com, webhooks overview: Calendly disables a subscription whose
        // deliveries keep failing.
        report.fail("calendly.webhook",
                    "the subscription " + best->uri + " for " + url + " is " + best->state +
                        ": Calendly delivers nothing to it.",
                    "make sure " + url + " answers, then run calendly-realtime webhooks delete " + best->uri +
                        " and " + register_command(url) + ".");
        co_return;
    }
    if (const auto missing = missing_events(*best); !missing.empty()) {
        std::string names;
        for (const auto& event : missing) names += (names.empty() ? "" : ", ") + event;
        report.fail("calendly.webhook", "the subscription " + best->uri + " for " + url + " lacks " + names + ".",
                    "run calendly-realtime webhooks delete " + best->uri + " and " + register_command(url) + ".");
        co_return;
    }
    report.ok("calendly.webhook", "the subscription " + best->uri + " (" + best->scope + " scope) delivers " +
                                      "invitee.created and invitee.canceled to " + url + " and is active.");
}

}  // namespace calrt::app

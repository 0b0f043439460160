#include "testing/fake_calendly/fake_state.hpp"

#include <algorithm>
#include <stdexcept>

#include "testing/fake_calendly/organization_seed.hpp"

namespace calrt::testing::fake {
namespace {

FakeCalendlyOptions checked(FakeCalendlyOptions options) {
    const auto& role = options.token_role;
    if (role != "owner" && role != "admin" && role != "user") {
        throw std::invalid_argument("FakeCalendlyOptions::token_role must be owner, admin or user, not \"" +
                                    role + "\"");
    }
    return options;
}

// Who a subscription hears about: every member (organization scope) or its own user.
bool concerns(const WebhookSubscriptionRecord& subscription,
              const std::vector<std::string>& member_uuids) {
    return subscription.scope == "organization" ||
           std::find(member_uuids.begin(), member_uuids.end(), subscription.user_uuid) !=
               member_uuids.end();
}

WorkingHours working_hours(const FakeCalendlyOptions& options) {
    return {options.work_start_utc_hour, options.work_end_utc_hour, options.slot_interval};
}

}  // namespace

FakeState::FakeState(FakeCalendlyOptions fake_options, boost::asio::any_io_executor executor)
    : options(checked(std::move(fake_options))),
      store(working_hours(options)),
      traffic(options.rate_limit_per_minute, options.rate_limit_window),
      webhooks(std::move(executor), options.webhook_timeout) {}

TimePoint FakeState::now() const {
    return options.clock ? options.clock() : std::chrono::system_clock::now();
}

void FakeState::open(std::string base_url) {
    const TimePoint started = now();
    json.emplace(ResourceUris(std::move(base_url)));
    seeded = seed_calendar(store, options.host_timezone, started, options.varied_event_types);
    seed_organization(store, options);
    if (!options.webhook_url.empty()) subscribe_service(options.webhook_url, options.webhook_signing_key);
    ready.store(true, std::memory_order_release);
}

void FakeState::subscribe_service(std::string url, std::string signing_key) {
    // The subscription a sandbox host would have made for the service's webhook route.
    WebhookSubscriptionRecord subscription;
    subscription.uuid = store.ids().uuid();
    subscription.callback_url = std::move(url);
    subscription.events = {"invitee.created", "invitee.canceled"};
    subscription.scope = "organization";
    subscription.signing_key = std::move(signing_key);
    subscription.created_at = subscription.updated_at = now();
    (void)subscriptions.add(std::move(subscription));
}

nlohmann::json FakeState::event_type_json(const EventTypeRecord& type) const {
    return resources().event_type(type, store.owner_of(type));
}

nlohmann::json FakeState::scheduled_event_json(const ScheduledEventRecord& event) const {
    return resources().scheduled_event(event, store.hosts_of(event));
}

void FakeState::publish_invitee_event(const std::string& event,
                                      const ScheduledEventRecord& scheduled,
                                      const InviteeRecord& invitee) {
    std::vector<WebhookTarget> targets;
    for (auto& subscription : subscriptions.subscribed_to(event)) {
        if (!concerns(subscription, scheduled.host_uuids)) continue;
        targets.push_back(
            {std::move(subscription.callback_url), std::move(subscription.signing_key)});
    }
    if (targets.empty()) return;
    const HostUser host = store.host();
    webhooks.deliver(targets, event,
                     resources().invitee_webhook_payload(scheduled, invitee, store.hosts_of(scheduled)),
                     resources().uris().user(host.uuid), now());
}

void FakeState::publish_event_type_event(const std::string& event, const EventTypeRecord& type) {
    std::vector<WebhookTarget> targets;
    for (auto& subscription : subscriptions.subscribed_to(event)) {
        if (!concerns(subscription, CalendarStore::candidate_hosts(type))) continue;
        targets.push_back(
            {std::move(subscription.callback_url), std::move(subscription.signing_key)});
    }
    if (targets.empty()) return;
    webhooks.deliver(targets, event, event_type_json(type),
                     resources().uris().user(store.host().uuid), now());
}

}  // namespace calrt::testing::fake

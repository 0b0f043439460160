#pragma once
// Everything the fake's handlers share: options, the organization's calendar, webhook subscriptions and
// delivery, faults and traffic. Handlers hold it by shared_ptr so that a request in flight (a hang,
// say) keeps it alive.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <optional>

#include "testing/fake_calendly/booking_limits.hpp"
#include "testing/fake_calendly/calendar_store.hpp"
#include "testing/fake_calendly/fake_calendly_options.hpp"
#include "testing/fake_calendly/fault_injector.hpp"
#include "testing/fake_calendly/resource_json.hpp"
#include "testing/fake_calendly/seed_data.hpp"
#include "testing/fake_calendly/subscription_store.hpp"
#include "testing/fake_calendly/traffic.hpp"
#include "testing/fake_calendly/webhook_delivery.hpp"

namespace calrt::testing::fake {

struct FakeState {
    FakeState(FakeCalendlyOptions fake_options, boost::asio::any_io_executor executor);

    TimePoint now() const;

    // Seeds the calendar with URIs on `base_url` and opens the fake for requests.
    void open(std::string base_url);
    // Adds an organization subscription to invitee.created/canceled for `url`, signed with the key.
    void subscribe_service(std::string url, std::string signing_key);
    bool is_open() const { return ready.load(std::memory_order_acquire); }
    const ResourceJson& resources() const { return *json; }

    // A resource in Calendly's format, with the members it names looked up.
    nlohmann::json event_type_json(const EventTypeRecord& type) const;
    nlohmann::json scheduled_event_json(const ScheduledEventRecord& event) const;

    // Sends `event` ("invitee.created", "invitee.canceled") to every subscription that wants it:
    // organization scope for any member's meetings, user scope for the meetings its user hosts.
    void publish_invitee_event(const std::string& event, const ScheduledEventRecord& scheduled,
                               const InviteeRecord& invitee);
    // Sends `event` ("event_type.created", ".updated", ".deleted") with the type's resource as
    // its payload (Calendly does not document that payload; consumers treat it as a signal), to
    // organization subscriptions and to user subscriptions of the type's owner or hosts.
    void publish_event_type_event(const std::string& event, const EventTypeRecord& type);

    const FakeCalendlyOptions options;
    CalendarStore store;
    SubscriptionStore subscriptions;
    FaultInjector faults;
    Traffic traffic;
    WebhookDelivery webhooks;
    BookingLimits booking_limits;  // POST /invitees' own limits by options.plan

    // Written once by open(), before `ready` is released; read-only afterwards.
    std::optional<ResourceJson> json;
    SeededIds seeded;

  private:
    std::atomic<bool> ready{false};
};

}  // namespace calrt::testing::fake

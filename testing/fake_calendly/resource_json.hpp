#pragma once
// The fake's records in Calendly API v2's wire format: the field names, nullable fields and nested
// objects of Calendly's API reference (User, EventType, Event, Invitee, Cancellation,
// WebhookSubscription, EventTypeAvailableTime, UserBusyTime).

#include <nlohmann/json.hpp>

#include "testing/fake_calendly/records.hpp"
#include "testing/fake_calendly/resource_uris.hpp"

namespace calrt::testing::fake {

class ResourceJson {
  public:
    explicit ResourceJson(ResourceUris uris) : uris_(std::move(uris)) {}

    const ResourceUris& uris() const { return uris_; }

    nlohmann::json user(const HostUser& host) const;
    nlohmann::json event_type(const EventTypeRecord& type, const HostUser& host) const;
    nlohmann::json scheduled_event(const ScheduledEventRecord& event, const HostUser& host) const;
    nlohmann::json invitee(const ScheduledEventRecord& event, const InviteeRecord& invitee) const;
    nlohmann::json cancellation(const CancellationRecord& cancellation) const;
    nlohmann::json webhook_subscription(const WebhookSubscriptionRecord& subscription,
                                        const HostUser& host) const;
    // `invitees_remaining`: the places left at `start` (a group type's limit less those booked).
    nlohmann::json available_time(const EventTypeRecord& type, const HostUser& host, TimePoint start,
                                  std::size_t invitees_remaining = 1) const;
    nlohmann::json busy_time(const ScheduledEventRecord& event) const;
    // A webhook's `payload` for an invitee event: the invitee plus its scheduled event.
    nlohmann::json invitee_webhook_payload(const ScheduledEventRecord& event,
                                           const InviteeRecord& invitee,
                                           const HostUser& host) const;

    std::string user_scheduling_url(const HostUser& host) const;
    std::string event_type_scheduling_url(const EventTypeRecord& type, const HostUser& host) const;

  private:
    ResourceUris uris_;
};

std::string html_escape(std::string_view text);

}  // namespace calrt::testing::fake

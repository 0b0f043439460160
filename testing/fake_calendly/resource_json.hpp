#pragma once
// The fake's records in Calendly API v2's wire format: the field names, nullable fields and nested
// objects of Calendly's API reference (User, EventType, Event, Invitee, Cancellation,
// WebhookSubscription, EventTypeAvailableTime, UserBusyTime, OrganizationMembership,
// EventTypeMembership).

#include <vector>

#include <nlohmann/json.hpp>

#include "testing/fake_calendly/records.hpp"
#include "testing/fake_calendly/resource_uris.hpp"

namespace calrt::testing::fake {

class ResourceJson {
  public:
    explicit ResourceJson(ResourceUris uris) : uris_(std::move(uris)) {}

    const ResourceUris& uris() const { return uris_; }

    nlohmann::json user(const HostUser& host) const;
    // `owner`: the user a personal type belongs to (unused for a team type).
    nlohmann::json event_type(const EventTypeRecord& type, const HostUser& owner) const;
    // `hosts`: the users of event_memberships, in order.
    nlohmann::json scheduled_event(const ScheduledEventRecord& event,
                                   const std::vector<HostUser>& hosts) const;
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
                                           const std::vector<HostUser>& hosts) const;
    nlohmann::json organization_membership(const MemberRecord& member) const;
    // One host of `type` (`type_json`: the type's own JSON, rendered once for all its hosts).
    nlohmann::json event_type_membership(const EventTypeRecord& type,
                                         const nlohmann::json& type_json,
                                         const HostUser& member) const;

    std::string user_scheduling_url(const HostUser& host) const;
    // A personal type's page is under its owner's ({base}/{user-slug}/{slug}); a team type's under
    // its team's ({base}/team/{team-slug}/{slug}).
    std::string event_type_scheduling_url(const EventTypeRecord& type, const HostUser& owner) const;

  private:
    ResourceUris uris_;
};

std::string html_escape(std::string_view text);

}  // namespace calrt::testing::fake

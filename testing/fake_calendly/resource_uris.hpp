#pragma once
// Resource URIs on the fake's own base URL (so a client can follow them), shaped like Calendly's:
// {base}/event_types/{uuid}, {base}/scheduled_events/{uuid}/invitees/{uuid}, ...

#include <optional>
#include <string>
#include <string_view>

namespace calrt::testing::fake {

class ResourceUris {
  public:
    explicit ResourceUris(std::string base_url) : base_(std::move(base_url)) {}

    const std::string& base() const { return base_; }
    std::string user(std::string_view uuid) const { return base_ + "/users/" + std::string(uuid); }
    std::string organization(std::string_view uuid) const {
        return base_ + "/organizations/" + std::string(uuid);
    }
    std::string event_type(std::string_view uuid) const {
        return base_ + "/event_types/" + std::string(uuid);
    }
    std::string scheduled_event(std::string_view uuid) const {
        return base_ + "/scheduled_events/" + std::string(uuid);
    }
    std::string invitee(std::string_view event_uuid, std::string_view invitee_uuid) const {
        return scheduled_event(event_uuid) + "/invitees/" + std::string(invitee_uuid);
    }
    std::string webhook_subscription(std::string_view uuid) const {
        return base_ + "/webhook_subscriptions/" + std::string(uuid);
    }
    std::string team(std::string_view uuid) const { return base_ + "/teams/" + std::string(uuid); }
    std::string organization_membership(std::string_view uuid) const {
        return base_ + "/organization_memberships/" + std::string(uuid);
    }
    std::string event_type_membership(std::string_view uuid) const {
        return base_ + "/event_type_memberships/" + std::string(uuid);
    }
    std::string booking_link(std::string_view link_id, std::string_view event_type_slug) const {
        return base_ + "/d/" + std::string(link_id) + "/" + std::string(event_type_slug);
    }

    // The UUID at the end of `uri` when it names a resource of `collection` ("event_types") on this
    // fake; nullopt for anything else (another host, another collection, a nested path).
    std::optional<std::string> uuid_in(std::string_view uri, std::string_view collection) const {
        const std::string prefix = base_ + "/" + std::string(collection) + "/";
        if (uri.size() <= prefix.size() || uri.substr(0, prefix.size()) != prefix)
            return std::nullopt;
        const std::string_view uuid = uri.substr(prefix.size());
        if (uuid.find_first_of("/?#") != std::string_view::npos) return std::nullopt;
        return std::string(uuid);
    }

  private:
    std::string base_;
};

}  // namespace calrt::testing::fake

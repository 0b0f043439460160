#pragma once
// A fake Calendly API v2 server for tests and the --sandbox mode: the project's own HTTP server on
// 127.0.0.1 (ephemeral port) answering Calendly's endpoints in Calendly's wire format (resources,
// list pagination, error bodies, X-RateLimit-* headers, Bearer auth), over a seeded host whose
// resource URIs point back at the fake. The host is the token's user and a member of an
// organization: by default its only member and owner; the options and the organization methods
// below add members with roles and team event types (round robin, collective). Bookings (POST /invitees or a single-use link's page) and
// cancellations deliver signed invitee.created/invitee.canceled webhooks to the subscriptions.
//
// Tests drive faults (the next N requests to a path answer 429/5xx/4xx, hang, answer late, drop the
// connection after doing the work, or page without progress) and read request counts, the most
// requests handled at once, bookings, cancellations and webhook deliveries. Thread-safe.
//
// The fake runs on the caller's io_context; destroy it only after that io_context has stopped
// running (connections in flight refer to it), as with server::HttpServer.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_calendly/fake_calendly_options.hpp"
#include "testing/fake_calendly/fault_plan.hpp"
#include "testing/fake_calendly/observations.hpp"

namespace boost::asio {
class io_context;
}

namespace calrt::testing {

class FakeCalendly {
  public:
    FakeCalendly(boost::asio::io_context& io, FakeCalendlyOptions options = {});
    ~FakeCalendly();
    FakeCalendly(const FakeCalendly&) = delete;
    FakeCalendly& operator=(const FakeCalendly&) = delete;

    // Listens on 127.0.0.1:0 and seeds the host; the accessors below need it. Throws
    // std::runtime_error when it cannot listen.
    void start();
    // Stops accepting and closes its connections (requests in flight are cut off), so that the
    // io_context it runs on can run out of work.
    void stop();
    std::uint16_t port() const;
    std::string base_url() const;  // "http://127.0.0.1:PORT", the API base for a client

    // The next `plan.times` requests whose path (without query) starts with `path_prefix` (and
    // whose method is plan.method, when set) answer as `plan` says. Plans are matched in the order
    // added. drop_after_processing throws std::logic_error without options.connection_faults.
    void inject(std::string path_prefix, FaultPlan plan);
    void clear_faults();

    // Requests received for exactly `path` (no query), faults and auth failures included.
    std::size_t request_count(std::string_view path) const;
    std::size_t request_count() const;  // all paths
    // The most requests the fake was handling at the same time (delayed or hanging ones included).
    std::size_t max_concurrent_requests() const;
    void reset_counts();

    // The seeded host (the token's user) and its data (after start()).
    std::string user_uri() const;
    std::string organization_uri() const;
    std::string access_token() const;
    std::vector<std::string> active_event_type_uris() const;  // 5, in Calendly's default name order
    std::string inactive_event_type_uri() const;
    // The host's own type by slug ("15min", "30min", ...); empty if none.
    std::string event_type_uri(std::string_view slug) const;
    std::string past_event_uri() const;
    std::string upcoming_event_uri() const;  // active; its slot is not available
    std::string canceled_event_uri() const;  // upcoming, canceled
    std::string scheduling_url_of(std::string_view event_type_uri) const;  // the host's public page

    // After start(): one more event type of the host (active), e.g. a secret one, whose URI is
    // returned.
    // With `invitees_limit` over 1, a group type: that many invitees book the same meeting.
    std::string add_event_type(std::string name, std::string slug, int minutes, bool secret,
                               int invitees_limit = 1);

    // The organization (after start()). By default its only member is the token's user
    // (user_uri()), with FakeCalendlyOptions::token_role ("owner"); options.sandbox_team and
    // options.generated_members seed more. Members, their types and team types change here as an
    // admin would change them in Calendly's web app, and the changes to event types are delivered
    // as event_type.created/updated/deleted webhooks (created_by: user_uri()).
    //
    // Current members' user URIs, in membership order (created_at, then membership UUID).
    std::vector<std::string> member_uris() const;
    // A current member's user URI by slug ("dana-whitfield"); empty if none.
    std::string member_uri(std::string_view slug) const;
    // A team event type's URI by slug ("sales-demo"); empty if none.
    std::string team_event_type_uri(std::string_view slug) const;
    // A new member (role "owner", "admin" or "user", else std::invalid_argument) with a personal
    // active "30 Minute Meeting" (event_type.created); returns its user URI.
    std::string add_member(std::string name, std::string slug, std::string role);
    // Ends a membership: the member leaves the organization's lists, its personal types are
    // deleted (event_type.deleted) and it stops hosting team types (event_type.updated). Its past
    // meetings still name it. std::invalid_argument when `user_uri` is not a current member.
    void remove_member(std::string_view user_uri);
    // A new active team type (pooling_type "round_robin" or "collective") of team `team_name`,
    // hosted by current members (else std::invalid_argument); delivers event_type.created and
    // returns its URI. A team name used before names the same team.
    std::string add_team_event_type(std::string name, std::string slug, int minutes,
                                    std::string pooling_type,
                                    std::vector<std::string> host_user_uris,
                                    std::string team_name);
    // Renames any event type and delivers event_type.updated; std::invalid_argument when unknown.
    void rename_event_type(std::string_view uri, std::string name);

    // After start(): deliver invitee.created/invitee.canceled to `url`, signed with `signing_key`
    // (what FakeCalendlyOptions::webhook_url does, for a service that learns its port later).
    void subscribe_webhooks(std::string url, std::string signing_key);

    // Side effects observed through the fake.
    std::vector<FakeBooking> bookings() const;
    std::vector<FakeCancellation> cancellations() const;
    std::vector<WebhookDeliveryRecord> webhook_deliveries() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace calrt::testing

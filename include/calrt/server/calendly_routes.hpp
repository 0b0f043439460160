#pragma once
// GET/POST /api/calendly: the REST actions over the host's Calendly account (DESIGN.md "HTTP API").
// Every action is one row of a table (name, method, access, fields, handler) that also produces the
// "valid actions" message for an unknown action.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/server/rate_limiter.hpp"
#include "calrt/server/router.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace calrt::tools {
class BookingCaps;
}

namespace calrt::calendly {
class OrganizationDirectory;  // organization_directory.hpp
struct Directory;
}

namespace calrt::server {

// The rendered event-types body, reused while Calendly's cached list is the same object: the most
// frequent read costs no JSON work on a cache hit.
class RenderedEventTypes {
public:
    std::shared_ptr<const std::string> body_for(const std::shared_ptr<const std::vector<calendly::EventType>>& types);

private:
    std::mutex mutex_;
    std::shared_ptr<const std::vector<calendly::EventType>> source_;
    std::shared_ptr<const std::string> body_;
};

// The rendered ?action=hosts body and the ?action=event-types&host=&team= bodies, reused while
// the directory is the same snapshot: an organization of 500 members renders to about 440 KiB,
// and rendering it per request served about 1% of the single-host event-types rate; one host's
// types, copied and rendered per request, about 18% (bench/organization).
class RenderedDirectory {
public:
    // `scope`: "" for ?action=hosts; another key (host and team) for event-types. `render` makes
    // the body when this snapshot has none for `scope` yet.
    std::shared_ptr<const std::string> body_for(const std::shared_ptr<const calendly::Directory>& directory,
                                                const std::string& scope,
                                                const std::function<std::string()>& render);
    // ?action=hosts
    std::shared_ptr<const std::string> body_for(const std::shared_ptr<const calendly::Directory>& directory);
    // The body of `scope` if this snapshot has one already; nullptr otherwise.
    std::shared_ptr<const std::string> find(const std::shared_ptr<const calendly::Directory>& directory,
                                            std::string_view scope);

private:
    // Bodies kept for one snapshot at most: hosts, and a few thousand scopes at most.
    static constexpr std::size_t kMaxBodies = 4096;
    std::mutex mutex_;
    // Not owning: a snapshot the directory has replaced is freed then, not at the next read.
    std::weak_ptr<const calendly::Directory> source_;
    std::map<std::string, std::shared_ptr<const std::string>, std::less<>> bodies_;
};

// What the actions use; must outlive the router.
struct CalendlyRouteContext {
    calendly::CalendlyClient& calendly;
    std::string fallback_url;       // CALENDLY_FALLBACK_URL
    Secret admin_token;             // API_ADMIN_TOKEN
    RateLimiter& public_post_limit;  // create-link and book, per client address
    TimeZoneCache& time_zones;
    const Clock& clock;
    RenderedEventTypes rendered_event_types{};
    // event-types, event-info and availability, per client address: each can cost Calendly calls
    // from the host's quota, which every user of the service shares. Null: not limited.
    RateLimiter* public_read_limit = nullptr;
    // Bookings and scheduling links per UTC day for the whole service (they email whoever is
    // named), and bookings per client address and per invitee email (DAILY_BOOKINGS_PER_ADDRESS,
    // DAILY_BOOKINGS_PER_EMAIL), shared with the assistant and every replica. Null: not limited.
    tools::BookingCaps* booking_caps = nullptr;
    // BOOKING_REQUIRES_VERIFIED_EMAIL: `book` only with the admin token (403 verified_email_required).
    bool booking_requires_verified_email = false;
    // Organization mode (an admin's token): every host's offered types are public, and `host` and
    // `team` narrow event-types. Null: the token's user is the one host.
    calendly::OrganizationDirectory* directory = nullptr;
    RenderedDirectory rendered_directory{};
};

void add_calendly_routes(Router& router, CalendlyRouteContext& context);

}  // namespace calrt::server

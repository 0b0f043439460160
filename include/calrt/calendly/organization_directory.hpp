#pragma once
// The organization's directory (organization mode, an owner's or admin's token): who hosts what.
// Read from Calendly as its guide for AI agents suggests ("Retrieve the entire organization ...
// event types to map intent -> event type"): the members (GET /organization_memberships), every
// active event type of the organization (GET /event_types?organization=) and the hosts of each
// team type (GET /event_type_memberships, one call per round robin or collective type, a few at
// once). A personal type's host is its profile's owner.
//
// Held as one immutable snapshot. The first read waits for the first load; later reads get the
// snapshot at once, and one older than refresh_interval is loaded again in the background (a
// failed load keeps the last good one). reload_soon() loads again at once: on Calendly's
// event_type.* webhook deliveries, the only changes Calendly announces (membership changes are
// not, so a host who leaves disappears at the next scheduled load). Concurrent loads are one.
//
// Only what people may see is kept beyond the load: no member's email or role, no secret or
// inactive type. Thread-safe.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/models.hpp"
#include "calrt/core/error.hpp"
#include "calrt/core/metrics.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::calendly {

// A member who hosts at least one bookable type: public facts only.
struct DirectoryHost {
    std::string user_uri;
    std::string name;
    std::string slug;
    std::string scheduling_url;
    std::string timezone;
    std::optional<std::string> avatar_url;
    std::vector<std::string> event_type_uris;  // personal and team types they host, offered ones
};

// "Sales" -> "sales", "Customer Success" -> "customer-success": how ?team= names a team.
std::string team_slug(std::string_view team_name);

struct Directory {
    std::string organization_uri;
    std::vector<DirectoryHost> hosts;   // by name
    // Every offered type (active, not secret) that a current member hosts, in Calendly's order,
    // with EventType::host_names filled in.
    std::vector<EventType> event_types;
    // Parallel to event_types: the hosts' user URIs.
    std::vector<std::vector<std::string>> event_type_hosts;
    // A list was cut short (max_directory_items, the list deadline): some hosts or types are missing.
    bool complete = true;

    // By slug: through host_index when it is filled (build()), else by looking at each.
    const DirectoryHost* host_by_slug(std::string_view slug) const;
    std::map<std::string, std::size_t, std::less<>> host_index{};  // slug -> position in hosts
    // The types the host hosts, personal and team.
    std::vector<EventType> types_of_host(std::string_view user_uri) const;
    // The user URIs of the hosts of the offered type `type_uri`; empty for a type it does not have.
    std::vector<std::string> hosts_of(std::string_view type_uri) const;
    // Round robin and collective types, and any other type with a Team profile.
    std::vector<EventType> team_types() const;
    // The team types of the team whose name team_slug() turns into `slug`.
    std::vector<EventType> types_of_team(std::string_view slug) const;
    // A conversation's or a request's scope: the types of the host `host_slug` that are team types
    // of `team_slug`; an empty slug does not narrow, an unknown one leaves nothing.
    std::vector<EventType> scoped(std::string_view host_slug, std::string_view team_slug) const;
};

// A team type: pooled, or on a team's profile.
bool is_team_type(const EventType& type);

// GET /api/calendly?action=hosts: {"hosts": [{"name", "slug", "avatar_url", "timezone",
// "scheduling_url", "event_types": [uri...]}], "team_event_types": [EventType...]}.
nlohmann::json public_directory_json(const Directory& directory);

struct OrganizationDirectoryOptions {
    std::chrono::milliseconds refresh_interval{std::chrono::minutes(10)};
    std::size_t host_list_concurrency = 4;  // GET /event_type_memberships at once
};

class OrganizationDirectory : public std::enable_shared_from_this<OrganizationDirectory> {
public:
    OrganizationDirectory(CalendlyClient& client, boost::asio::any_io_executor executor,
                          OrganizationDirectoryOptions options, MetricsRegistry& metrics);
    ~OrganizationDirectory();

    // The snapshot; the first call (and concurrent ones) waits for the first load.
    boost::asio::awaitable<Result<std::shared_ptr<const Directory>>> current();
    // The last snapshot loaded, without waiting; nullptr before the first load.
    std::shared_ptr<const Directory> cached() const;
    // current() without waiting, when it would not wait (a snapshot is loaded; a stale one starts
    // a reload in the background, as current() does); nullptr otherwise. For the cached reads,
    // which then cost no coroutine.
    std::shared_ptr<const Directory> ready();
    // Loads again now and answers the new snapshot (or the load's error; the last one stays).
    boost::asio::awaitable<Result<std::shared_ptr<const Directory>>> reload();
    // reload() in the background.
    void reload_soon();

private:
    struct State;
    boost::asio::awaitable<Result<std::shared_ptr<const Directory>>> load_shared();
    boost::asio::awaitable<Result<std::shared_ptr<const Directory>>> load();

    CalendlyClient& client_;
    boost::asio::any_io_executor executor_;
    OrganizationDirectoryOptions options_;
    Counter& loads_ok_;
    Counter& loads_failed_;
    std::unique_ptr<State> state_;
};

}  // namespace calrt::calendly

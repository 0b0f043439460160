#include "calrt/calendly/organization_directory.hpp"

#include "calrt/net/bounded_parallel.hpp"
#include "calrt/calendly/offered_event_types.hpp"
#include "calrt/core/logging.hpp"
#include "singleflight_cache.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

namespace calrt::calendly {
namespace asio = boost::asio;

namespace {

using SharedDirectory = std::shared_ptr<const Directory>;

std::string team_slug_of(const EventType& type) { return team_slug(type.profile_name.value_or("")); }

Error incomplete_hosts(const EventType& type, const Error& why) {
    return Error::make(why.kind, why.code,
                       "the hosts of " + type.name.value_or(type.uri) + " could not be read: " + why.message);
}

// The directory from what Calendly answered; `hosts_of_team_type` is parallel to `types`, empty
// for a type that is not a team type.
Directory build(std::string organization_uri, const std::vector<OrganizationMembership>& memberships,
                std::vector<EventType> types, const std::vector<std::vector<std::string>>& hosts_of_team_type,
                bool complete) {
    std::map<std::string, const Member*, std::less<>> members;
    for (const auto& membership : memberships) members.emplace(membership.user.uri, &membership.user);

    Directory directory;
    directory.organization_uri = std::move(organization_uri);
    directory.complete = complete;
    std::map<std::string, std::vector<std::string>, std::less<>> types_of_member;
    for (std::size_t i = 0; i < types.size(); ++i) {
        auto& type = types[i];
        if (!is_offered(type) || type.deleted_at) continue;
        std::vector<std::string> candidates;
        if (is_team_type(type)) {
            candidates = hosts_of_team_type[i];
        } else if (type.profile_owner) {
            candidates.push_back(*type.profile_owner);
        }
        std::vector<std::string> hosts;  // current members only: one who left hosts nothing
        type.host_names.clear();
        for (auto& uri : candidates) {
            const auto member = members.find(uri);
            if (member == members.end() || std::find(hosts.begin(), hosts.end(), uri) != hosts.end()) continue;
            type.host_names.push_back(member->second->name);
            types_of_member[uri].push_back(type.uri);
            hosts.push_back(std::move(uri));
        }
        if (hosts.empty()) continue;
        directory.event_types.push_back(std::move(type));
        directory.event_type_hosts.push_back(std::move(hosts));
    }
    for (auto& [uri, type_uris] : types_of_member) {
        const Member& member = *members.at(uri);
        directory.hosts.push_back({member.uri, member.name, member.slug, member.scheduling_url,
                                   member.timezone.value_or(""), member.avatar_url, std::move(type_uris)});
    }
    std::sort(directory.hosts.begin(), directory.hosts.end(),
              [](const DirectoryHost& a, const DirectoryHost& b) { return std::tie(a.name, a.slug) < std::tie(b.name, b.slug); });
    for (std::size_t i = 0; i < directory.hosts.size(); ++i) directory.host_index.emplace(directory.hosts[i].slug, i);
    return directory;
}

}  // namespace

std::string team_slug(std::string_view team_name) {
    std::string slug;
    for (const char c : team_name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum) {
            slug += c;
        } else if (c >= 'A' && c <= 'Z') {
            slug += static_cast<char>(c - 'A' + 'a');
        } else if (!slug.empty() && slug.back() != '-') {
            slug += '-';
        }
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

bool is_team_type(const EventType& type) {
    return (type.pooling_type && !type.pooling_type->empty()) || type.profile_type == "Team";
}

const DirectoryHost* Directory::host_by_slug(std::string_view slug) const {
    if (!host_index.empty()) {
        const auto found = host_index.find(slug);
        return found == host_index.end() ? nullptr : &hosts[found->second];
    }
    const auto it = std::find_if(hosts.begin(), hosts.end(), [slug](const DirectoryHost& host) { return host.slug == slug; });
    return it == hosts.end() ? nullptr : &*it;
}

std::vector<EventType> Directory::types_of_host(std::string_view user_uri) const {
    std::vector<EventType> types;
    for (std::size_t i = 0; i < event_types.size(); ++i) {
        const auto& hosted_by = event_type_hosts[i];
        if (std::find(hosted_by.begin(), hosted_by.end(), user_uri) != hosted_by.end()) types.push_back(event_types[i]);
    }
    return types;
}

std::vector<std::string> Directory::hosts_of(std::string_view type_uri) const {
    for (std::size_t i = 0; i < event_types.size(); ++i) {
        if (event_types[i].uri == type_uri) return event_type_hosts[i];
    }
    return {};
}

std::vector<EventType> Directory::team_types() const {
    std::vector<EventType> types;
    for (const auto& type : event_types) {
        if (is_team_type(type)) types.push_back(type);
    }
    return types;
}

std::vector<EventType> Directory::types_of_team(std::string_view slug) const { return scoped("", slug); }

std::vector<EventType> Directory::scoped(std::string_view host_slug, std::string_view team_slug) const {
    // Only the types asked for are copied: copying every type of a large organization first cost
    // more than the rest of the request (bench/organization: 5,000 types, 41 requests/s).
    std::vector<EventType> types;
    const DirectoryHost* host = host_slug.empty() ? nullptr : host_by_slug(host_slug);
    if (!host_slug.empty() && host == nullptr) return types;
    for (std::size_t i = 0; i < event_types.size(); ++i) {
        const auto& type = event_types[i];
        if (host != nullptr &&
            std::find(event_type_hosts[i].begin(), event_type_hosts[i].end(), host->user_uri) == event_type_hosts[i].end()) {
            continue;
        }
        if (!team_slug.empty() && !(is_team_type(type) && type.profile_name && team_slug_of(type) == team_slug)) continue;
        types.push_back(type);
    }
    return types;
}

nlohmann::json public_directory_json(const Directory& directory) {
    nlohmann::json hosts = nlohmann::json::array();
    for (const auto& host : directory.hosts) {
        hosts.push_back({{"name", host.name},
                         {"slug", host.slug},
                         {"avatar_url", host.avatar_url ? nlohmann::json(*host.avatar_url) : nlohmann::json(nullptr)},
                         {"timezone", host.timezone},
                         {"scheduling_url", host.scheduling_url},
                         {"event_types", host.event_type_uris}});
    }
    nlohmann::json team_types = nlohmann::json::array();
    for (const auto& type : directory.event_types) {
        if (is_team_type(type)) team_types.push_back(type.raw);
    }
    return {{"hosts", std::move(hosts)}, {"team_event_types", std::move(team_types)}};
}

struct OrganizationDirectory::State {
    // A TTL of zero: every get() loads, and only concurrent ones share a load.
    SingleflightCache<SharedDirectory> loads{std::chrono::milliseconds(0)};
    mutable std::mutex mutex;
    SharedDirectory last;
    std::chrono::steady_clock::time_point loaded_at{};
    std::atomic<bool> reloading{false};   // a background reload runs
    std::atomic<bool> reload_again{false};  // asked for while it ran: its load may predate the change
};

OrganizationDirectory::OrganizationDirectory(CalendlyClient& client, asio::any_io_executor executor,
                                             OrganizationDirectoryOptions options, MetricsRegistry& metrics)
    : client_(client),
      executor_(std::move(executor)),
      options_(options),
      loads_ok_(metrics.counter("calendly_directory_loads_total", "Loads of the organization's directory",
                                {{"outcome", "ok"}})),
      loads_failed_(metrics.counter("calendly_directory_loads_total", "Loads of the organization's directory",
                                    {{"outcome", "failed"}})),
      state_(std::make_unique<State>()) {}

OrganizationDirectory::~OrganizationDirectory() = default;

std::shared_ptr<const Directory> OrganizationDirectory::cached() const {
    const std::lock_guard lock(state_->mutex);
    return state_->last;
}

std::shared_ptr<const Directory> OrganizationDirectory::ready() {
    SharedDirectory last;
    bool stale = false;
    {
        const std::lock_guard lock(state_->mutex);
        last = state_->last;
        stale = std::chrono::steady_clock::now() - state_->loaded_at >= options_.refresh_interval;
    }
    if (last && stale && !state_->reloading.load()) reload_soon();
    return last;
}

asio::awaitable<Result<SharedDirectory>> OrganizationDirectory::current() {
    SharedDirectory last;
    bool stale = false;
    {
        const std::lock_guard lock(state_->mutex);
        last = state_->last;
        stale = std::chrono::steady_clock::now() - state_->loaded_at >= options_.refresh_interval;
    }
    if (!last) co_return co_await load_shared();
    if (stale && !state_->reloading.load()) reload_soon();
    co_return last;
}

asio::awaitable<Result<SharedDirectory>> OrganizationDirectory::reload() { co_return co_await load_shared(); }

namespace {

asio::awaitable<void> reload_in_background(std::shared_ptr<OrganizationDirectory> directory,
                                           std::atomic<bool>& reloading, std::atomic<bool>& again) {
    do {
        again.store(false);
        co_await directory->reload();
    } while (again.load());
    reloading.store(false);
}

}  // namespace

void OrganizationDirectory::reload_soon() {
    state_->reload_again.store(true);
    if (state_->reloading.exchange(true)) return;  // the one running loads again
    asio::co_spawn(executor_, reload_in_background(shared_from_this(), state_->reloading, state_->reload_again),
                   asio::detached);
}

asio::awaitable<Result<SharedDirectory>> OrganizationDirectory::load_shared() {
    co_return co_await state_->loads.get("directory", [this] { return load(); });
}

asio::awaitable<Result<SharedDirectory>> OrganizationDirectory::load() {
    const auto started = std::chrono::steady_clock::now();
    auto fail = [this](const Error& error) {
        loads_failed_.inc();
        log::warn("organization directory not loaded", {{"code", error.code}, {"message", error.message}});
        return error;
    };
    auto user = co_await client_.current_user();
    if (!user) co_return fail(user.error());
    const std::string organization = user->current_organization;

    // The members and the event types are two independent page sequences: read them together.
    std::optional<Result<GatheredList<OrganizationMembership>>> members;
    std::optional<Result<GatheredList<EventType>>> types;
    co_await net::run_bounded(executor_, 2, 2, [&](std::size_t which) -> asio::awaitable<void> {
        if (which == 0) {
            members.emplace(co_await client_.organization_memberships(organization));
        } else {
            types.emplace(co_await client_.organization_event_types(organization));
        }
    });
    if (!*members) co_return fail(members->error());
    if (!*types) co_return fail(types->error());

    const auto& listed = (*types)->items;
    std::vector<std::vector<std::string>> hosts(listed.size());
    std::vector<std::size_t> team_types;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        if (is_offered(listed[i]) && is_team_type(listed[i])) team_types.push_back(i);
    }
    std::optional<Error> host_failure;
    co_await net::run_bounded(executor_, team_types.size(), options_.host_list_concurrency,
                         [&](std::size_t n) -> asio::awaitable<void> {
                             const auto& type = listed[team_types[n]];
                             auto found = co_await client_.event_type_hosts(type.uri);
                             if (!found) {
                                 if (!host_failure) host_failure = incomplete_hosts(type, found.error());
                                 co_return;
                             }
                             for (const auto& host : *found) hosts[team_types[n]].push_back(host.user_uri);
                         });
    if (host_failure) co_return fail(*host_failure);

    const bool complete = !(*members)->truncated() && !(*types)->truncated();
    auto directory = std::make_shared<const Directory>(
        build(organization, (*members)->items, std::move((*types)->items), hosts, complete));
    loads_ok_.inc();
    log::info("organization directory loaded",
              {{"hosts", directory->hosts.size()},
               {"event_types", directory->event_types.size()},
               {"team_event_types", team_types.size()},
               {"complete", complete},
               {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()}});
    {
        const std::lock_guard lock(state_->mutex);
        state_->last = directory;
        state_->loaded_at = std::chrono::steady_clock::now();
    }
    co_return SharedDirectory(directory);
}

}  // namespace calrt::calendly

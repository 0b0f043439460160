// The /api/calendly reads that know the organization: hosts, and event-types narrowed to one host
// or one team. Public facts only (calendly::public_directory_json).
#include "calendly_actions.hpp"
#include "calrt/calendly/offered_event_types.hpp"
#include "calrt/calendly/organization_directory.hpp"
#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace asio = boost::asio;

namespace {

Error host_not_found(std::string_view slug) {
    return Error::make(ErrorKind::not_found, "host_not_found",
                       "no host is called '" + std::string(slug.substr(0, 100)) + "'; list them with ?action=hosts");
}

Error team_not_found(std::string_view slug) {
    return Error::make(ErrorKind::not_found, "team_not_found",
                       "no team is called '" + std::string(slug.substr(0, 100)) + "'; list them with ?action=hosts");
}

// Outside organization mode the token's user is the one host, and a directory of one.
asio::awaitable<Result<calendly::Directory>> single_host_directory(CalendlyRouteContext& context) {
    auto user = co_await context.calendly.current_user();
    if (!user) co_return user.error();
    auto types = co_await context.calendly.shared_event_types();
    if (!types) co_return types.error();
    calendly::Directory directory;
    directory.organization_uri = user->current_organization;
    calendly::DirectoryHost host{user->uri, user->name, user->slug, user->scheduling_url, user->timezone,
                                 user->avatar_url, {}};
    for (const auto& type : **types) {
        if (!calendly::is_offered(type)) continue;
        host.event_type_uris.push_back(type.uri);
        directory.event_types.push_back(type);
        directory.event_type_hosts.push_back({user->uri});
    }
    directory.hosts.push_back(std::move(host));
    co_return directory;
}

asio::awaitable<Result<std::shared_ptr<const calendly::Directory>>> directory_of(CalendlyRouteContext& context) {
    if (context.directory != nullptr) {
        if (auto ready = context.directory->ready()) co_return ready;
        co_return co_await context.directory->current();
    }
    auto single = co_await single_host_directory(context);
    if (!single) co_return single.error();
    co_return std::make_shared<const calendly::Directory>(std::move(*single));
}

std::string event_types_scope(const std::optional<std::string_view>& host, const std::optional<std::string_view>& team) {
    return "event-types\n" + std::string(host.value_or("")) + "\n" + std::string(team.value_or(""));
}

}  // namespace

std::shared_ptr<const std::string> ready_scoped_event_types_body(CalendlyRouteContext& context,
                                                                 const std::optional<std::string_view>& host,
                                                                 const std::optional<std::string_view>& team) {
    if (context.directory == nullptr) return nullptr;
    const auto ready = context.directory->ready();
    if (!ready) return nullptr;
    return context.rendered_directory.find(ready, event_types_scope(host, team));
}

std::shared_ptr<const std::string> RenderedDirectory::body_for(
    const std::shared_ptr<const calendly::Directory>& directory, const std::string& scope,
    const std::function<std::string()>& render) {
    std::lock_guard lock(mutex_);
    // The same snapshot: an expired weak_ptr still holds its control block, which a new snapshot
    // therefore cannot share.
    const bool same = !source_.owner_before(directory) && !directory.owner_before(source_);
    if (!same || bodies_.size() >= kMaxBodies) {
        bodies_.clear();
        source_ = directory;
    }
    auto& body = bodies_[scope];
    if (body == nullptr) body = std::make_shared<const std::string>(render());
    return body;
}

std::shared_ptr<const std::string> RenderedDirectory::find(const std::shared_ptr<const calendly::Directory>& directory,
                                                           std::string_view scope) {
    std::lock_guard lock(mutex_);
    const bool same = !source_.owner_before(directory) && !directory.owner_before(source_);
    if (!same) return nullptr;
    const auto found = bodies_.find(scope);
    return found == bodies_.end() ? nullptr : found->second;
}

std::shared_ptr<const std::string> RenderedDirectory::body_for(
    const std::shared_ptr<const calendly::Directory>& directory) {
    return body_for(directory, "", [&directory] {
        return calendly::public_directory_json(*directory).dump(-1, ' ', false,
                                                                nlohmann::json::error_handler_t::replace);
    });
}

asio::awaitable<Result<std::shared_ptr<const std::string>>> scoped_event_types_body(
    CalendlyRouteContext& context, const std::optional<std::string_view>& host,
    const std::optional<std::string_view>& team) {
    const std::string scope = event_types_scope(host, team);
    auto directory = co_await directory_of(context);
    if (!directory) co_return directory.error();
    const calendly::Directory& known = **directory;
    // Checked before anything is kept: only scopes that exist are cached.
    if (host && known.host_by_slug(*host) == nullptr) co_return host_not_found(*host);
    if (team && known.types_of_team(*team).empty()) co_return team_not_found(*team);
    // Rendered without waiting: the snapshot is in hand and the scope checked.
    auto body = context.rendered_directory.body_for(*directory, scope, [&] {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& type : known.scoped(host.value_or(""), team.value_or(""))) list.push_back(type.raw);
        return nlohmann::json{{"event_types", std::move(list)}}.dump(-1, ' ', false,
                                                                     nlohmann::json::error_handler_t::replace);
    });
    co_return body;
}

asio::awaitable<Response> hosts_action(const ActionParams&, CalendlyRouteContext& context) {
    if (context.directory != nullptr) {
        if (const auto ready = context.directory->ready()) {
            co_return json_shared_response(200, context.rendered_directory.body_for(ready));
        }
    }
    auto directory = co_await directory_of(context);
    if (!directory) co_return error_response(directory.error());
    co_return json_shared_response(200, context.rendered_directory.body_for(*directory));
}

}  // namespace calrt::server

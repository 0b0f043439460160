#include "calrt/server/router.hpp"

#include <algorithm>

namespace calrt::server {
namespace {

using PathParams = std::vector<std::pair<std::string, std::string>>;

bool has_parameters(std::string_view pattern) { return pattern.find('{') != std::string_view::npos; }

// "/a/b/" -> {"a", "b", ""}: every segment after a '/', empty ones included.
std::vector<std::string_view> segments_of(std::string_view path) {
    std::vector<std::string_view> segments;
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
        const auto slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        path.remove_prefix(slash == std::string_view::npos ? path.size() : slash);
    }
    return segments;
}

// Matches `path` against a pattern such as "/scheduled_events/{uuid}/invitees", filling `params`.
bool match_pattern(std::string_view pattern, std::string_view path, PathParams& params) {
    if (path.empty() || path.front() != '/') return false;
    const auto expected = segments_of(pattern);
    const auto actual = segments_of(path);
    if (expected.size() != actual.size()) return false;
    PathParams captured;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::string_view want = expected[i];
        if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
            if (actual[i].empty()) return false;
            captured.emplace_back(std::string(want.substr(1, want.size() - 2)), std::string(actual[i]));
        } else if (want != actual[i]) {
            return false;
        }
    }
    params = std::move(captured);
    return true;
}

}  // namespace

std::string_view RouteMatch::metric_label() const {
    switch (outcome) {
        case Outcome::found: return route->path;
        case Outcome::method_not_allowed: return "method_not_allowed";
        case Outcome::not_found: return "not_found";
    }
    return "not_found";
}

void Router::add(std::string method, std::string path, Handler handler, RouteOptions options) {
    routes_.push_back(Route{std::move(method), std::move(path), std::move(handler), std::move(options)});
}

void Router::get(std::string path, Handler handler, RouteOptions options) {
    add("GET", std::move(path), std::move(handler), std::move(options));
}

void Router::post(std::string path, Handler handler, RouteOptions options) {
    add("POST", std::move(path), std::move(handler), std::move(options));
}

void Router::fallback_get(Handler handler) { fallback_ = Route{"GET", "static", std::move(handler), {}}; }

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    const std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
    RouteMatch result;
    std::vector<std::string_view> allowed;
    auto note_allowed = [&allowed](std::string_view route_method) {
        auto add_once = [&allowed](std::string_view m) {
            if (std::find(allowed.begin(), allowed.end(), m) == allowed.end()) allowed.push_back(m);
        };
        add_once(route_method);
        if (route_method == "GET") add_once("HEAD");
    };
    // Exact routes first, so that "/users/me" is never captured by "/users/{uuid}".
    for (const auto& route : routes_) {
        if (has_parameters(route.path) || route.path != path) continue;
        if (route.method == effective) {
            result.outcome = RouteMatch::Outcome::found;
            result.route = &route;
            return result;
        }
        note_allowed(route.method);
    }
    for (const auto& route : routes_) {
        if (!has_parameters(route.path)) continue;
        PathParams params;
        if (!match_pattern(route.path, path, params)) continue;
        if (route.method == effective) {
            result.outcome = RouteMatch::Outcome::found;
            result.route = &route;
            result.path_params = std::move(params);
            return result;
        }
        note_allowed(route.method);
    }
    if (!allowed.empty()) {
        result.outcome = RouteMatch::Outcome::method_not_allowed;
        for (std::size_t i = 0; i < allowed.size(); ++i) {
            if (i) result.allow += ", ";
            result.allow += allowed[i];
        }
        return result;
    }
    if (fallback_ && effective == "GET") {
        result.outcome = RouteMatch::Outcome::found;
        result.route = &*fallback_;
    }
    return result;
}

}  // namespace calrt::server

#include "calrt/server/router.hpp"

namespace calrt::server {

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
    for (const auto& route : routes_) {
        if (route.path != path) continue;
        if (route.method == effective) {
            result.outcome = RouteMatch::Outcome::found;
            result.route = &route;
            return result;
        }
        allowed.push_back(route.method);
        if (route.method == "GET") allowed.push_back("HEAD");
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

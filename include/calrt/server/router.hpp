#pragma once
// Method + path routing. Registrations read like DESIGN.md's route table; an unknown path is 404 and
// a known path with the wrong method is 405 with an Allow header. A path segment written `{name}`
// matches any one non-empty segment and is captured as a path parameter; a route without parameters
// wins over one with them.

#include "calrt/core/error.hpp"
#include "calrt/server/http_message.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::server {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct RouteOptions {
    // Largest body this route reads; unset means the server's MAX_BODY_BYTES.
    std::optional<std::size_t> body_limit;
    // A request that carries a body must declare one of these media types (else 415). Empty: any.
    std::vector<std::string> body_media_types = {"application/json"};
    // Checked once the head of a request that has a body is read, before any of the body is read
    // or charged to the body budget: a route that can tell from the head alone that the request
    // will fail refuses it without buffering (review item N1). Unset: no check.
    std::function<Result<void>(const Request&)> check_head{};
};

struct Route {
    std::string method;
    std::string path;
    Handler handler;
    RouteOptions options;
};

struct RouteMatch {
    enum class Outcome { found, not_found, method_not_allowed };
    Outcome outcome = Outcome::not_found;
    const Route* route = nullptr;  // set when found
    std::string allow;             // set when method_not_allowed, e.g. "GET, HEAD, POST"
    std::vector<std::pair<std::string, std::string>> path_params;  // the route's `{name}` segments
    std::string_view metric_label() const;  // the route's path, or a fixed label for misses
};

class Router {
public:
    void add(std::string method, std::string path, Handler handler, RouteOptions options = {});
    void get(std::string path, Handler handler, RouteOptions options = {});
    void post(std::string path, Handler handler, RouteOptions options = {});
    // Serves GET/HEAD for any path no route names (the static files of the chat page).
    void fallback_get(Handler handler);

    // HEAD is answered by a GET route (the session drops the body).
    RouteMatch match(std::string_view method, std::string_view path) const;

private:
    std::vector<Route> routes_;
    std::optional<Route> fallback_;
};

namespace detail {
template <class F>
boost::asio::awaitable<Response> call_sync_handler(const F& f, Request& request) {
    co_return f(request);
}
}  // namespace detail

// A handler whose result is ready without waiting (health checks, static files). The lambda is not
// itself a coroutine: GCC 12 destroys a coroutine lambda's by-value captures twice.
template <class F>
Handler sync_handler(F f) {
    return [f = std::move(f)](Request& request) { return detail::call_sync_handler(f, request); };
}

}  // namespace calrt::server

#pragma once
// The request and response that route handlers see: plain values with no sockets and no Beast types,
// so handlers are testable without a network and cheap to compile (STYLE.md, Beast examples).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt::server {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // the raw request-target, e.g. "/api/calendly?action=user"
    std::string path;    // percent-decoded path, no query
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
    HeaderList headers;
    std::string body;
    std::string remote_address;  // peer IP, without port
    std::string request_id;
    // Values of the matched route's `{name}` segments, e.g. {"uuid", "ABC"} for
    // `/event_types/{uuid}`; decoded like `path`.
    std::vector<std::pair<std::string, std::string>> path_params;

    // Case-insensitive; empty when absent.
    std::string_view header(std::string_view name) const;
    // The first value of a query parameter, if present.
    std::optional<std::string_view> query_param(std::string_view name) const;
    // The value of a `{name}` segment of the matched route, if it has one.
    std::optional<std::string_view> path_param(std::string_view name) const;
};

struct Response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    // When set, the body sent instead of `body`: a rendering shared by many responses (a cached
    // list), written from where it lives rather than copied into each response.
    std::shared_ptr<const std::string> shared_body;
    HeaderList headers;  // extra headers (Allow, Retry-After, Cache-Control, ...)
    bool close_connection = false;

    void set_header(std::string name, std::string value);
    // The body that is sent: the shared one when set.
    std::string_view body_text() const { return shared_body ? std::string_view(*shared_body) : std::string_view(body); }
};

bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace calrt::server

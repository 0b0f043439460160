#include "request_head.hpp"

#include "calrt/core/text.hpp"
#include "calrt/server/client_address.hpp"

#include <boost/url/parse.hpp>

#include <array>

namespace calrt::server {
namespace http = boost::beast::http;

namespace {

constexpr std::array<std::string_view, 9> kKnownMethods = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                           "OPTIONS", "CONNECT", "TRACE", "PATCH"};

Error bad_request(std::string message) {
    return Error::make(ErrorKind::invalid_argument, "bad_request", std::move(message));
}

// Fills path and query from the request-target; false when it is not an origin-form target.
bool parse_target(Request& request) {
    auto parsed = boost::urls::parse_origin_form(request.target);
    if (!parsed) return false;
    request.path = parsed->path();
    for (auto param : parsed->params()) request.query.emplace_back(param.key, param.value);
    return true;
}

// Transfer-Encoding, when present, must be exactly "chunked": a list ending in chunked after
// other codings (which this server does not decode), or not ending in chunked at all (no way to
// tell where the body ends), is refused.
bool transfer_encoding_acceptable(const http::request_header<>& head) {
    bool seen = false;
    const auto [first, last] = head.equal_range(http::field::transfer_encoding);
    for (auto field = first; field != last; ++field) {
        std::string_view value = field->value();
        while (!value.empty()) {
            const auto comma = value.find(',');
            const std::string_view coding = trim(value.substr(0, comma));
            if (!coding.empty()) {
                if (seen || !iequals(coding, "chunked")) return false;
                seen = true;
            }
            if (comma == std::string_view::npos) break;
            value.remove_prefix(comma + 1);
        }
    }
    return true;
}

}  // namespace

bool is_known_method(std::string_view method) noexcept {
    for (const auto known : kKnownMethods) {
        if (method == known) return true;
    }
    return false;
}

Result<Request> request_from_head(const http::request_header<>& head, std::string_view peer,
                                  const std::vector<IpNetwork>& trusted_proxies) {
    Request request;
    const std::string_view method = head.method_string();
    if (!is_known_method(method)) {
        return Error::make(ErrorKind::not_implemented, "method_not_implemented",
                           "this server does not implement that method; use GET, HEAD or POST");
    }
    request.method = std::string(method);
    request.target = std::string(head.target());
    request.headers.reserve(16);
    std::string forwarded_for;
    for (const auto& field : head) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        if (iequals(field.name_string(), "X-Forwarded-For")) {
            if (!forwarded_for.empty()) forwarded_for += ',';
            forwarded_for += field.value();
        }
    }
    request.remote_address = client_address(peer, forwarded_for, trusted_proxies);
    if (!parse_target(request)) return bad_request("malformed request target");
    if (!transfer_encoding_acceptable(head)) {
        return bad_request("Transfer-Encoding must be exactly \"chunked\" when present");
    }
    return request;
}

}  // namespace calrt::server

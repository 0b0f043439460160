#pragma once
// Where one request goes: an absolute http(s) URL taken apart by Boost.URL into what the connection
// (host, port, TLS) and the request line (origin-form target, Host header) need.

#include "calrt/core/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace calrt::net {

struct HttpTarget {
    bool tls = false;
    std::string host;  // lower-case DNS name, or an IP address without brackets
    std::uint16_t port = 0;
    std::string
        host_header;     // RFC 9112 section 3.2: the authority, brackets and explicit port kept
    std::string target;  // origin-form: "/path?query", still percent-encoded

    // "https://host:port": connections are pooled per origin.
    std::string origin() const;
    // "host:port": names the peer in error messages (never the path, which may carry personal
    // data).
    std::string where() const;
};

// Fails with code "invalid_url" when the URL is not an absolute http:// or https:// URL with a
// host.
Result<HttpTarget> parse_http_url(std::string_view url);

}  // namespace calrt::net

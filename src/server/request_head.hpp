#pragma once
// What a connection learns from a request head before it reads any body: the handler's Request
// (method, target, decoded path and query, headers, client address), or the Error that ends the
// connection. Pure (no socket), so the fuzz target drives it with the bytes a client could send.

#include "calrt/core/error.hpp"
#include "calrt/core/ip_network.hpp"
#include "calrt/server/http_message.hpp"

#include <boost/beast/http/message.hpp>

#include <string_view>
#include <vector>

namespace calrt::server {

// The methods this server knows (RFC 9110 section 9 and PATCH, RFC 5789). Anything else is
// answered 501 before it is recorded anywhere: the method becomes a metrics label, and a client
// choosing it could otherwise grow the label set without bound (review item H1).
bool is_known_method(std::string_view method) noexcept;

// Fills a Request from `head`: 501 for an unknown method, 400 for a target that is not
// origin-form or a Transfer-Encoding other than exactly "chunked" (RFC 9112 section 6.3: a body
// whose length cannot be determined must be refused, or a proxy in front may read it differently;
// review item L3). `peer` is the TCP peer's address; the request's remote_address is the client
// address (client_address.hpp).
Result<Request> request_from_head(const boost::beast::http::request_header<>& head, std::string_view peer,
                                  const std::vector<IpNetwork>& trusted_proxies);

}  // namespace calrt::server

#pragma once
// Who a request is from, for rate limits, per-address caps and the access log (review item L2).
// Behind a reverse proxy every connection comes from the proxy, so its X-Forwarded-For is believed,
// but only from peers in TRUSTED_PROXIES: anyone else could write any address there.

#include "calrt/core/ip_network.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace calrt::server {

// The peer's address, or, when the peer is a trusted proxy, the nearest address in
// `forwarded_for` (the X-Forwarded-For values, comma-separated, in order) that is not itself a
// trusted proxy, reading from the right: each proxy appends the address it received from, so
// entries left of the first untrusted one could have been written by the client. A malformed
// entry stops the walk at the last good address.
std::string client_address(std::string_view peer, std::string_view forwarded_for,
                           const std::vector<IpNetwork>& trusted_proxies);

// The key that per-address limits count under: an IPv4 address itself, an IPv6 address by its
// /64 (one subscriber's allocation; rotating through the /128s of one /64 buys nothing), anything
// else as given.
std::string address_bucket(std::string_view address);

// The wider network an address (or an address_bucket()) belongs to, for the looser second tier of caps (review
// item N2): an IPv6 address by its /48 (what RIRs assign one site, RFC 6177, so a /56 or a /48
// holding hundreds of /64 buckets still counts once here), an IPv4 address by its /24 (a hosting
// provider's or a NAT pool's block), anything else as given. Which tiers apply is the caller's
// choice: the /24 tier is off by default because one /24 is often many unrelated people.
std::string network_bucket(std::string_view address);

}  // namespace calrt::server

#pragma once
// Name resolution under a deadline, for every outgoing connection (DNS has no timeout of its own).
// Internal to net/.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace calrt::net {

using ResolvedEndpoints =
    std::pair<boost::system::error_code, std::vector<boost::asio::ip::tcp::endpoint>>;

// The endpoints of `host` (an IP address literal is taken as is, without DNS) on numeric `port`.
// Fails with asio::error::timed_out when `deadline` passes first, otherwise with the resolver's
// error.
boost::asio::awaitable<ResolvedEndpoints> resolve_before(std::string host, std::string port,
                                                         std::chrono::steady_clock::time_point deadline);

}  // namespace calrt::net

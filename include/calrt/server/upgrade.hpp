#pragma once
// A route that takes over its connection after an HTTP Upgrade (the WebSocket relay). The handler
// receives the connection and the request head; the Beast types live in upgrade_connection.hpp so
// that only code that speaks WebSocket includes them.

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>

namespace calrt::server {

struct UpgradeConnection;  // defined in upgrade_connection.hpp

using UpgradeHandler = std::function<boost::asio::awaitable<void>(std::unique_ptr<UpgradeConnection>)>;

}  // namespace calrt::server

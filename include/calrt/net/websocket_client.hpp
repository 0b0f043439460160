#pragma once
// Opening a WebSocket to a server: `wss://` verifies the peer (system trust store plus
// WebSocketOptions::extra_ca_file), checks the host name and sends SNI; `ws://` is for loopback
// tests and the sandbox. Extra headers (Authorization: Bearer ...) go on the upgrade request and
// never into an error message.
//
// Failure codes, besides those of net::WebSocket:
//   "invalid_url"         not a ws:// or wss:// URL with a host; nothing was sent
//   "connect_failed"      DNS, TCP connect, TLS handshake or the upgrade exchange failed
//   "tls_verify_failed"   the peer's certificate or host name did not verify
//   "timeout"             connect_timeout passed before the connection was open
//   "handshake_rejected"  the server answered the upgrade request with an HTTP status instead of
//                         101 (the message names the status, e.g. 401 for a wrong key)

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <string>

#include "calrt/core/error.hpp"
#include "calrt/net/http_client.hpp"
#include "calrt/net/websocket.hpp"

namespace calrt::net {

boost::asio::awaitable<Result<WebSocket>> connect_websocket(boost::asio::any_io_executor executor,
                                                            std::string url,
                                                            HeaderList headers = {},
                                                            WebSocketOptions options = {});

}  // namespace calrt::net

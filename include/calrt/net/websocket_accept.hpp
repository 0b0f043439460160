#pragma once
// The server side of a WebSocket upgrade: completes the handshake for an upgrade request already
// read from `stream` (what server::UpgradeConnection carries). Includes Beast; only code that takes
// over connections needs it.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "calrt/core/error.hpp"
#include "calrt/net/websocket.hpp"

namespace calrt::net {

// `stream`'s executor must be a strand (HttpServer's connections are), because the WebSocket runs
// all its work there. Fails with "handshake_failed" when the request is not a valid upgrade (Beast
// has then answered it with 400) or the answer cannot be written within connect_timeout.
boost::asio::awaitable<Result<WebSocket>> accept_websocket(
    boost::beast::tcp_stream stream,
    boost::beast::http::request<boost::beast::http::string_body> request,
    WebSocketOptions options = {});

}  // namespace calrt::net

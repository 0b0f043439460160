#pragma once
// The steps every outgoing connection takes, for the HTTP client (http_connection.cpp) and the
// WebSocket client (websocket_client.cpp): resolve under a deadline, TCP connect under the same
// deadline, and for TLS the per-connection set-up (SNI, host-name verification) and the handshake.
// Their failures are one family: `connect_failed` (kind upstream_timeout when a deadline passed,
// upstream_failed otherwise) and `tls_verify_failed` for a certificate that did not verify.
// Internal to net/.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "calrt/core/error.hpp"

namespace calrt::net {

Error connect_failed(std::string message, ErrorKind kind = ErrorKind::upstream_failed);

// `where` names the peer in messages ("host:port"). Strings are taken by value: a coroutine
// keeps its parameters, and a reference to a caller's temporary would dangle (GCC 12 ends such
// temporaries early; docs/architecture.md, "Compiler notes").
boost::asio::awaitable<Result<std::vector<boost::asio::ip::tcp::endpoint>>> resolve_endpoints(
    std::string host, std::string port, std::chrono::steady_clock::time_point deadline);

// Leaves the stream's deadline at `deadline`; the caller sets the next one.
boost::asio::awaitable<Result<void>> connect_tcp(
    boost::beast::tcp_stream& stream, const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
    std::string where, std::chrono::steady_clock::time_point deadline);

// SNI and verification for `host`, then the client handshake before `deadline`.
boost::asio::awaitable<Result<void>> handshake_tls(
    boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, std::string host,
    std::string where, std::chrono::steady_clock::time_point deadline);

}  // namespace calrt::net

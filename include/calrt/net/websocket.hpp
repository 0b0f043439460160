#pragma once
// One open WebSocket connection, client or server side (RFC 6455), carrying text messages. Made by
// connect_websocket() (websocket_client.hpp) or accept_websocket() (websocket_accept.hpp).
//
// Every member is safe to call from any coroutine or thread: operations run on the connection's
// strand. Writes are serialized: messages go out whole and in the order write()/send() were called
// (from one thread or coroutine; calls racing on different threads are ordered by who gets there
// first). At most one read() may be pending at a time.
//
// Failures are values (calrt::Error); their `code`:
//   "closed"             the connection closed: the peer sent a close frame (its code and reason
//                        are in the message and in peer_close()), or close() was called here
//   "timeout"            no frame from the peer within the idle timeout, pings included
//   "message_too_large"  the peer sent a message over max_message_bytes (the connection is closed
//                        with 1009, as RFC 6455 7.4.1 says)
//   "connection_lost"    the TCP/TLS connection broke
// Destroying the last handle aborts the connection (no close frame).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calrt/core/error.hpp"

namespace calrt::net {

// RFC 6455 section 7.4.1 status codes this project sends.
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t message_too_big = 1009;
inline constexpr std::uint16_t internal_error = 1011;
inline constexpr std::uint16_t try_again_later = 1013;
}  // namespace close_code

struct WebSocketOptions {
    // Client: DNS, TCP connect, TLS and the upgrade handshake together. Server: the upgrade
    // handshake.
    std::chrono::milliseconds connect_timeout{10'000};
    // The closing handshake (close frame sent until the peer's close frame arrives).
    std::chrono::milliseconds close_timeout{5'000};
    // With no frame from the peer for half of this, a ping is sent; with none for all of it, the
    // connection is dropped and read() fails with "timeout". Zero disables the check.
    std::chrono::milliseconds idle_timeout{30'000};
    std::size_t max_message_bytes = 4 * 1024 * 1024;
    // send() backlog beyond which the peer is too slow to keep: the connection is aborted.
    std::size_t max_queued_bytes = 16 * 1024 * 1024;
    // Once the connection is closing (a close frame either way, or a failure such as an
    // oversized message answered with 1009): how long, and how many bytes of what the peer still
    // sends, are read and thrown away before the socket is closed. Closing with unread input
    // makes the kernel reset the connection, which can destroy the close frame before the peer
    // reads it (a lingering close; plain TCP only).
    std::chrono::milliseconds linger_timeout{5'000};
    std::size_t linger_max_bytes = 16 * 1024 * 1024;
    std::string extra_ca_file;  // wss:// only: PEM file trusted besides the system store
    std::string user_agent = "calendly-realtime";
    // Server side: more headers for the 101 answer (the HTTP server's X-Request-Id).
    std::vector<std::pair<std::string, std::string>> handshake_response_headers{};
};

struct WebSocketCloseInfo {
    std::uint16_t code = 0;
    std::string reason;
};

class WebSocketCore;  // the connection itself; defined in src/net

class WebSocket {
  public:
    // Not connected: only for assigning a connected one to later (and for Result<WebSocket>).
    WebSocket() = default;
    explicit WebSocket(std::shared_ptr<WebSocketCore> core);
    ~WebSocket();
    WebSocket(WebSocket&&) noexcept;
    WebSocket& operator=(WebSocket&&) noexcept;
    WebSocket(const WebSocket&) = delete;
    WebSocket& operator=(const WebSocket&) = delete;

    // The next whole message (text; a binary message is returned as its bytes).
    boost::asio::awaitable<Result<std::string>> read();

    // Queues `text` as one text message and completes once it is written (or failed).
    boost::asio::awaitable<Result<void>> write(std::string text);

    // Queues `text` without waiting; a failure shows up as the connection closing. Ordered with
    // write() and send() calls made before it.
    void send(std::string text);

    // Sends a close frame, after every message write() and send() queued before it, and waits (up
    // to close_timeout) for the peer's; a pending read() then fails with "closed", and later writes
    // fail. Calling it again, or after the connection ended, does nothing.
    boost::asio::awaitable<void> close(std::uint16_t code, std::string reason);

    // Drops the connection at once without a close frame.
    void abort();

    // What the peer said in its close frame, once one has arrived.
    std::optional<WebSocketCloseInfo> peer_close() const;

    explicit operator bool() const noexcept { return core_ != nullptr; }

  private:
    std::shared_ptr<WebSocketCore> core_;
};

}  // namespace calrt::net

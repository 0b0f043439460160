#pragma once
// Closing a connection whose client may still be sending, without losing the answer already
// written. If a socket is closed while unread input is queued, the kernel answers with a TCP reset,
// and a reset can overtake the response in flight: the client sees "connection reset" instead of
// the 413 or 503 it was sent. So, as nginx's lingering close does: shut down the sending side
// (the client gets our FIN after the response), then read and discard what the client still sends,
// for a bounded time and byte count, and only then close.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstddef>

namespace calrt::server {

struct LingerLimits {
    std::chrono::milliseconds time{5'000};  // in all; a client that never stops is cut off
    std::size_t bytes = 16 * 1024 * 1024;   // discarded at most
};

boost::asio::awaitable<void> close_after_draining(boost::beast::tcp_stream& stream, LingerLimits limits);

}  // namespace calrt::server

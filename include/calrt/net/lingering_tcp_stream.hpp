#pragma once
// A beast::tcp_stream whose teardown is a lingering close, as nginx's lingering_close:
// after the close frame, the server shuts down its sending side (the peer reads the close frame,
// then EOF), reads and discards whatever the peer still sends until EOF or a bound in time and
// bytes, and only then closes the socket.
//
// Why: closing a socket that still has unread input makes the kernel answer with RST instead of
// FIN (RFC 1122 4.2.2.13), and the RST can destroy data still on its way, so a browser whose
// oversized message is refused with 1009 mostly saw a reset (close 1006), never the 1009. Beast's
// own TCP teardown is meant to drain until EOF, but in Boost 1.81 it stops after the first read
// that returns data (it tests a bytes_transferred it never assigns) and closes the socket with
// the rest of the oversized message unread.
//
// The HTTP server uses the same teardown after an error answer (413, 431, 501, a refused
// connection): the client may still be sending the body or request that was refused.
//
// Beast finds async_teardown by argument-dependent lookup on the stream type (its documented
// customization point for user stream types), so the overload below replaces Beast's for this
// type only: an exact match beats Beast's template for basic_stream, which needs a conversion to
// the base class.

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

namespace calrt::net {

// How long and how much a lingering close reads and discards before it closes anyway, so a peer
// that keeps trickling bytes cannot hold the connection open.
struct LingerLimits {
    std::chrono::milliseconds time{5'000};
    std::size_t bytes = 16 * 1024 * 1024;
};

class LingeringTcpStream : public boost::beast::tcp_stream {
  public:
    LingeringTcpStream(boost::beast::tcp_stream&& stream, LingerLimits limits)
        : boost::beast::tcp_stream(std::move(stream)), limits_(limits) {}

    template <class Executor>
    LingeringTcpStream(const Executor& executor, LingerLimits limits)
        : boost::beast::tcp_stream(executor), limits_(limits) {}

    const LingerLimits& linger_limits() const noexcept { return limits_; }

  private:
    LingerLimits limits_;
};

namespace detail {

// The composed operation behind async_teardown(LingeringTcpStream&). It always completes without
// an error: the socket is closed at its end either way, and an error here would replace the
// reason Beast reports for the close (message_too_big, a normal close) with a teardown detail.
class LingeringTeardown {
  public:
    LingeringTeardown(LingeringTcpStream& stream, boost::beast::role_type role)
        : stream_(stream), role_(role), discard_(std::make_unique<std::array<char, 16 * 1024>>()) {}

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, std::size_t bytes = 0) {
        if (!started_) {
            started_ = true;
            // RFC 6455 7.1.1: the server closes the TCP connection first; a client waits for it.
            if (role_ == boost::beast::role_type::server) {
                boost::system::error_code ignored;
                stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
            }
            // The stream's own timer: a read past it fails with beast::error::timeout.
            stream_.expires_after(stream_.linger_limits().time);
        } else {
            drained_ += bytes;
            if (ec || drained_ >= stream_.linger_limits().bytes) {
                close();
                self.complete(boost::system::error_code{});
                return;
            }
        }
        stream_.async_read_some(boost::asio::buffer(*discard_), std::move(self));
    }

  private:
    void close() {
        boost::system::error_code ignored;
        stream_.expires_never();
        stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
    }

    LingeringTcpStream& stream_;
    boost::beast::role_type role_;
    std::unique_ptr<std::array<char, 16 * 1024>> discard_;
    std::size_t drained_ = 0;
    bool started_ = false;
};

}  // namespace detail

// Beast calls it with a completion handler; the HTTP server awaits it (any completion token).
template <class CompletionToken>
auto async_teardown(boost::beast::role_type role, LingeringTcpStream& stream, CompletionToken&& token) {
    return boost::asio::async_compose<CompletionToken, void(boost::system::error_code)>(
        detail::LingeringTeardown(stream, role), token, stream);
}

}  // namespace calrt::net

#include "lingering_close.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

namespace calrt::server {
namespace asio = boost::asio;

asio::awaitable<void> close_after_draining(boost::beast::tcp_stream& stream, LingerLimits limits) {
    boost::system::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    std::array<char, 16 * 1024> discard;
    std::size_t drained = 0;
    // One deadline for the whole drain: tcp_stream applies it to every read until it is changed.
    stream.expires_after(limits.time);
    while (drained <= limits.bytes) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(discard), asio::as_tuple(asio::use_awaitable));
        if (ec) break;  // the client's FIN (end of stream), a reset, or the deadline
        drained += n;
    }
    stream.close();
}

}  // namespace calrt::server

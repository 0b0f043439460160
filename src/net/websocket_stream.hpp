#pragma once
// WebSocketCore over a concrete Beast stream: websocket::stream<tcp_stream> (ws://, and the server
// side) or websocket::stream<ssl_stream<tcp_stream>> (wss://).

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "websocket_core.hpp"

namespace calrt::net {

template <class NextLayer>
class StreamWebSocket final : public WebSocketCore {
  public:
    // `keep_alive` holds what the next layer refers to (the TLS context) for as long as the stream.
    template <class... NextLayerArgs>
    StreamWebSocket(boost::asio::any_io_executor strand, WebSocketOptions options,
                    std::shared_ptr<void> keep_alive, NextLayerArgs&&... next_layer_args)
        : WebSocketCore(std::move(strand), std::move(options)),
          keep_alive_(std::move(keep_alive)),
          ws_(std::forward<NextLayerArgs>(next_layer_args)...) {
        ws_.read_message_max(this->options().max_message_bytes);
        // One frame per message, written at once: Beast's defaults cut a message into 4 KiB
        // frames, so 100 ms of base64 audio (6.4 KB) cost two frames, two sends here and more
        // reads at the peer (relay p99 at 200 sessions fell by about a third). A client masks
        // through its write buffer, one send per buffer-full; the buffer is allocated
        // uninitialised, so an idle session pays only for the pages its session.update touched
        // (about 4 KiB more than with Beast's 4 KiB buffer).
        ws_.auto_fragment(false);
        ws_.write_buffer_bytes(kWriteBufferBytes);
    }

    boost::beast::websocket::stream<NextLayer>& stream() noexcept { return ws_; }

    // The timeouts for an open connection: idle detection with pings, and the closing handshake.
    void use_open_connection_timeouts() {
        namespace websocket = boost::beast::websocket;
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = this->options().close_timeout;
        const bool idle_check = this->options().idle_timeout.count() > 0;
        timeout.idle_timeout = idle_check
                                   ? websocket::stream_base::duration(this->options().idle_timeout)
                                   : websocket::stream_base::none();
        timeout.keep_alive_pings = idle_check;
        ws_.set_option(timeout);
    }

  protected:
    boost::asio::awaitable<boost::system::error_code> read_message(
        boost::beast::flat_buffer& buffer) override {
        auto [ec, bytes] =
            co_await ws_.async_read(buffer, boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return ec;
    }

    boost::asio::awaitable<boost::system::error_code> write_text(const std::string& text) override {
        ws_.text(true);
        auto [ec, bytes] = co_await ws_.async_write(
            boost::asio::buffer(text), boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return ec;
    }

    boost::asio::awaitable<boost::system::error_code> close_stream(
        const boost::beast::websocket::close_reason& reason) override {
        auto [ec] =
            co_await ws_.async_close(reason, boost::asio::as_tuple(boost::asio::use_awaitable));
        co_return ec;
    }

    boost::beast::websocket::close_reason stream_close_reason() const override {
        return ws_.reason();
    }

    void close_socket() override { boost::beast::get_lowest_layer(ws_).close(); }

  private:
    static constexpr std::size_t kWriteBufferBytes = 16 * 1024;

    std::shared_ptr<void> keep_alive_;
    boost::beast::websocket::stream<NextLayer> ws_;
};

}  // namespace calrt::net

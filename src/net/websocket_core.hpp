#pragma once
// The connection behind a net::WebSocket: the write queue, the single-reader rule, close and error
// mapping, all on one strand. The stream itself (plain TCP or TLS, client or server) is reached
// through the few virtual primitives that StreamWebSocket (websocket_stream.hpp) implements.
// WebSocket's members (websocket.cpp) are the only way in: they hand each operation to the strand,
// so the API is declared once, in include/calrt/net/websocket.hpp.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/system/error_code.hpp>
#include <deque>
#include <mutex>

#include "calrt/net/websocket.hpp"

namespace calrt::net {

class WebSocketCore : public std::enable_shared_from_this<WebSocketCore> {
  public:
    WebSocketCore(boost::asio::any_io_executor strand, WebSocketOptions options);
    virtual ~WebSocketCore() = default;
    WebSocketCore(const WebSocketCore&) = delete;
    WebSocketCore& operator=(const WebSocketCore&) = delete;

    const boost::asio::any_io_executor& strand() const noexcept { return strand_; }
    const WebSocketOptions& options() const noexcept { return options_; }

  protected:
    // Stream primitives; called on the strand only.
    virtual boost::asio::awaitable<boost::system::error_code> read_message(
        boost::beast::flat_buffer& buffer) = 0;
    virtual boost::asio::awaitable<boost::system::error_code> write_text(
        const std::string& text) = 0;
    virtual boost::asio::awaitable<boost::system::error_code> close_stream(
        const boost::beast::websocket::close_reason& reason) = 0;
    virtual boost::beast::websocket::close_reason stream_close_reason() const = 0;
    virtual void close_socket() = 0;

  private:
    friend class WebSocket;

    struct WriteWaiter {
        explicit WriteWaiter(const boost::asio::any_io_executor& executor);
        boost::asio::steady_timer signal;  // cancelled when `result` is set
        std::optional<boost::system::error_code> result;
    };
    struct Outgoing {
        std::string text;
        std::shared_ptr<WriteWaiter> waiter;  // null for send()
        // Set for close(): the close frame takes its turn in the queue, after every message
        // queued before it (Beast would otherwise send it ahead of the messages still queued here).
        std::optional<boost::beast::websocket::close_reason> close{};
    };

    static boost::asio::awaitable<Result<std::string>> do_read(std::shared_ptr<WebSocketCore> self);
    static boost::asio::awaitable<Result<void>> do_write(std::shared_ptr<WebSocketCore> self,
                                                         std::string text);
    static boost::asio::awaitable<void> do_close(std::shared_ptr<WebSocketCore> self,
                                                 std::uint16_t code, std::string reason);
    static boost::asio::awaitable<void> write_loop(std::shared_ptr<WebSocketCore> self);
    void enqueue(Outgoing outgoing);
    bool ended() const noexcept { return closing_ || broken_; }
    Error error_of(const boost::system::error_code& ec);

    const WebSocketOptions options_;
    boost::asio::any_io_executor strand_;
    // Strand-only state.
    std::deque<Outgoing> queue_;
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool reading_ = false;
    bool closing_ = false;              // close() or abort() was called here
    boost::system::error_code broken_;  // the first write failure; later writes fail at once
    // Read by peer_close() from any thread.
    mutable std::mutex peer_close_mutex_;
    std::optional<WebSocketCloseInfo> peer_close_;
};

}  // namespace calrt::net

#include "websocket_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket/error.hpp>

#include "calrt/core/logging.hpp"
#include "calrt/net/as_result.hpp"

namespace calrt::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

// A close frame's payload is at most 125 bytes, two of them the code (RFC 6455 5.5); the reason is
// cut there without splitting a UTF-8 sequence.
std::string close_reason_text(std::string reason) {
    constexpr std::size_t kMaxReason = 123;
    if (reason.size() <= kMaxReason) return reason;
    std::size_t end = kMaxReason;
    while (end > 0 && (static_cast<unsigned char>(reason[end]) & 0xC0) == 0x80) --end;
    reason.resize(end);
    return reason;
}

}  // namespace

WebSocketCore::WriteWaiter::WriteWaiter(const asio::any_io_executor& executor)
    : signal(executor, asio::steady_timer::time_point::max()) {}

WebSocketCore::WebSocketCore(asio::any_io_executor strand, WebSocketOptions options)
    : options_(std::move(options)), strand_(std::move(strand)) {}

asio::awaitable<Result<std::string>> WebSocketCore::do_read(std::shared_ptr<WebSocketCore> self) {
    if (self->reading_) {
        co_return Error::make(ErrorKind::internal, "concurrent_read",
                              "a WebSocket read is already pending");
    }
    self->reading_ = true;
    beast::flat_buffer buffer;
    const auto ec = co_await self->read_message(buffer);
    self->reading_ = false;
    if (ec) co_return self->error_of(ec);
    co_return beast::buffers_to_string(buffer.data());
}

asio::awaitable<Result<void>> WebSocketCore::do_write(std::shared_ptr<WebSocketCore> self,
                                                      std::string text) {
    if (self->ended())
        co_return self->error_of(self->broken_ ? self->broken_ : asio::error::operation_aborted);
    auto waiter = std::make_shared<WriteWaiter>(self->strand_);
    self->enqueue(Outgoing{std::move(text), waiter});
    while (!waiter->result) co_await waiter->signal.async_wait(as_result);
    if (*waiter->result) co_return self->error_of(*waiter->result);
    co_return Result<void>{};
}

void WebSocketCore::enqueue(Outgoing outgoing) {
    queued_bytes_ += outgoing.text.size();
    queue_.push_back(std::move(outgoing));
    if (writing_) return;
    writing_ = true;
    asio::co_spawn(strand_, write_loop(shared_from_this()), asio::detached);
}

asio::awaitable<void> WebSocketCore::write_loop(std::shared_ptr<WebSocketCore> self) {
    while (!self->queue_.empty()) {
        Outgoing next = std::move(self->queue_.front());
        self->queue_.pop_front();
        self->queued_bytes_ -= next.text.size();
        boost::system::error_code ec = self->broken_;
        if (next.close) {
            if (!ec) ec = co_await self->close_stream(*next.close);
            if (ec) self->close_socket();
        } else {
            if (!ec) ec = co_await self->write_text(next.text);
            if (ec && !self->broken_) self->broken_ = ec;
        }
        if (next.waiter) {
            next.waiter->result = ec;
            next.waiter->signal.cancel();
        }
    }
    self->writing_ = false;
}

asio::awaitable<void> WebSocketCore::do_close(std::shared_ptr<WebSocketCore> self,
                                              std::uint16_t code, std::string reason) {
    if (self->ended()) co_return;
    self->closing_ = true;  // refuses later writes; those queued before still go
    auto waiter = std::make_shared<WriteWaiter>(self->strand_);
    self->enqueue(Outgoing{{}, waiter,
                           websocket::close_reason(static_cast<websocket::close_code>(code),
                                                   close_reason_text(std::move(reason)))});
    while (!waiter->result) co_await waiter->signal.async_wait(as_result);
}

Error WebSocketCore::error_of(const boost::system::error_code& ec) {
    // After close() here, the close frame Beast reports is the peer's echo of ours.
    if (closing_) {
        return Error::make(ErrorKind::unavailable, "closed",
                           "the WebSocket was closed by this side");
    }
    if (ec == websocket::error::closed) {
        const auto reason = stream_close_reason();
        WebSocketCloseInfo info{reason.code, std::string(reason.reason.c_str())};
        {
            std::lock_guard lock(peer_close_mutex_);
            peer_close_ = info;
        }
        std::string message = "the peer closed the WebSocket (code " + std::to_string(info.code);
        if (!info.reason.empty()) message += ": " + info.reason;
        return Error::make(ErrorKind::unavailable, "closed", message + ")");
    }
    if (ec == websocket::error::message_too_big) {
        return Error::make(ErrorKind::payload_too_large, "message_too_large",
                           "the peer sent a WebSocket message over " +
                               std::to_string(options_.max_message_bytes) + " bytes");
    }
    if (ec == beast::error::timeout) {
        return Error::make(ErrorKind::upstream_timeout, "timeout",
                           "the WebSocket peer stopped answering");
    }
    return Error::make(ErrorKind::upstream_failed, "connection_lost",
                       "the WebSocket connection broke: " + ec.message());
}

}  // namespace calrt::net

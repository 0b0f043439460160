#include "calrt/net/websocket.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/core/logging.hpp"
#include "spawn_on_strand.hpp"
#include "websocket_core.hpp"

namespace calrt::net {
namespace asio = boost::asio;

WebSocket::WebSocket(std::shared_ptr<WebSocketCore> core) : core_(std::move(core)) {}

WebSocket::~WebSocket() {
    if (core_) abort();
}

WebSocket::WebSocket(WebSocket&&) noexcept = default;

WebSocket& WebSocket::operator=(WebSocket&& other) noexcept {
    if (this != &other) {
        if (core_) abort();
        core_ = std::move(other.core_);
    }
    return *this;
}

// Each operation is spawned onto the connection's strand with the core's shared_ptr, never with
// `this`: a WebSocket may be moved or destroyed while an operation it started is still pending.
asio::awaitable<Result<std::string>> WebSocket::read() {
    return asio::co_spawn(core_->strand_, WebSocketCore::do_read(core_), asio::use_awaitable);
}

asio::awaitable<Result<void>> WebSocket::write(std::string text) {
    return spawn_on_strand(core_->strand_, WebSocketCore::do_write(core_, std::move(text)));
}

void WebSocket::send(std::string text) {
    asio::post(core_->strand_, [self = core_, text = std::move(text)]() mutable {
        if (self->ended()) return;
        if (self->queued_bytes_ + text.size() > self->options_.max_queued_bytes) {
            log::warn("websocket peer is not reading; dropping the connection",
                      {{"queued_bytes", self->queued_bytes_}});
            self->broken_ = asio::error::no_buffer_space;
            self->close_socket();
            return;
        }
        self->enqueue(WebSocketCore::Outgoing{std::move(text), nullptr});
    });
}

asio::awaitable<void> WebSocket::close(std::uint16_t code, std::string reason) {
    return asio::co_spawn(core_->strand_, WebSocketCore::do_close(core_, code, std::move(reason)),
                          asio::use_awaitable);
}

void WebSocket::abort() {
    asio::post(core_->strand_, [self = core_] {
        self->closing_ = true;
        self->close_socket();
    });
}

std::optional<WebSocketCloseInfo> WebSocket::peer_close() const {
    std::lock_guard lock(core_->peer_close_mutex_);
    return core_->peer_close_;
}

}  // namespace calrt::net

#include "calrt/net/websocket.hpp"

#include "websocket_core.hpp"

namespace calrt::net {

WebSocket::WebSocket(std::shared_ptr<WebSocketCore> core) : core_(std::move(core)) {}

WebSocket::~WebSocket() {
    if (core_) core_->abort();
}

WebSocket::WebSocket(WebSocket&&) noexcept = default;

WebSocket& WebSocket::operator=(WebSocket&& other) noexcept {
    if (this != &other) {
        if (core_) core_->abort();
        core_ = std::move(other.core_);
    }
    return *this;
}

boost::asio::awaitable<Result<std::string>> WebSocket::read() { return core_->read(); }

boost::asio::awaitable<Result<void>> WebSocket::write(std::string text) {
    return core_->write(std::move(text));
}

void WebSocket::send(std::string text) { core_->send(std::move(text)); }

boost::asio::awaitable<void> WebSocket::close(std::uint16_t code, std::string reason) {
    return core_->close(code, std::move(reason));
}

void WebSocket::abort() { core_->abort(); }

std::optional<WebSocketCloseInfo> WebSocket::peer_close() const { return core_->peer_close(); }

}  // namespace calrt::net

#include "connection_deadline.hpp"

#include <boost/asio/error.hpp>

namespace calrt::server {
namespace asio = boost::asio;

struct ConnectionDeadline::Watch {
    Watch(const asio::any_io_executor& executor, asio::ip::tcp::socket& s) : timer(executor), socket(&s) {}

    asio::steady_timer timer;
    asio::ip::tcp::socket* socket;  // null once the connection is gone
    clock::time_point deadline = clock::time_point::max();
    clock::time_point looks_at = clock::time_point::max();
    bool looking = false;  // a timer wait is pending for looks_at
    bool expired = false;
    unsigned generation = 0;  // of the current wait; a replaced wait's handler finds another
};

ConnectionDeadline::ConnectionDeadline(const asio::any_io_executor& executor, asio::ip::tcp::socket& socket)
    : watch_(std::make_shared<Watch>(executor, socket)) {}

ConnectionDeadline::~ConnectionDeadline() {
    if (!stopped_) stop();
}

void ConnectionDeadline::stop() noexcept {
    stopped_ = true;
    watch_->socket = nullptr;
    watch_->deadline = clock::time_point::max();
    if (watch_->looking) watch_->timer.cancel();  // the wait ends now and lets go of the watch
}

void ConnectionDeadline::expires_after(clock::duration limit) {
    Watch& watch = *watch_;
    watch.deadline = clock::now() + limit;
    watch.expired = false;
    // A wait due at or before the new deadline looks again then: nothing to move.
    if (watch.looking && watch.looks_at <= watch.deadline) return;
    look_at(watch_, watch.deadline);
}

void ConnectionDeadline::expires_never() noexcept {
    watch_->deadline = clock::time_point::max();
}

bool ConnectionDeadline::expired() const noexcept {
    return watch_->expired;
}

void ConnectionDeadline::look_at(const std::shared_ptr<Watch>& watch, clock::time_point when) {
    watch->looking = true;
    watch->looks_at = when;
    const unsigned generation = ++watch->generation;
    watch->timer.expires_at(when);  // a pending wait ends with operation_aborted and finds a newer generation
    watch->timer.async_wait([watch, generation](boost::system::error_code ec) {
        on_look(watch, generation, ec == asio::error::operation_aborted);
    });
}

void ConnectionDeadline::on_look(const std::shared_ptr<Watch>& watch, unsigned generation, bool cancelled) {
    if (generation != watch->generation) return;  // replaced by a wait for an earlier deadline
    watch->looking = false;
    if (cancelled || watch->socket == nullptr || watch->deadline == clock::time_point::max()) return;
    if (clock::now() < watch->deadline) {
        look_at(watch, watch->deadline);  // moved later since this wait began
        return;
    }
    watch->expired = true;
    watch->deadline = clock::time_point::max();
    // Closed, not cancelled, as Beast's timeouts do: a cancel reaches only an operation waiting in
    // the reactor, and a write still making progress (a reader taking a few bytes at a time) is
    // between two of its sends as often as not. Every operation after a close fails at once.
    boost::system::error_code ignored;
    watch->socket->close(ignored);
}

}  // namespace calrt::server

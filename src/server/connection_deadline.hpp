#pragma once
// One deadline per connection, moved at no cost and looked at lazily, as nginx keeps its timers.
//
// Beast's stream timeouts start a timer wait for every read and write and cancel it when the
// operation ends: a lock of the reactor's timer queue each way, a clock read, and one more handler
// run per operation, three times for each keep-alive request (issue 21). Here a deadline is a time
// stored in memory. One timer wait, started once, looks at the connection when the deadline it
// knew was due: a deadline moved later meanwhile makes it wait again until then; one passed closes
// the socket, as a Beast timeout does (the operation in flight completes with operation_aborted,
// and expired() tells that apart from a cancel for another reason). Only a deadline earlier than
// the wait's moves the wait. On a busy keep-alive connection that is one timer wait per idle
// limit, not three per request.
//
// Every member is used on the connection's executor (its strand, or its one-thread context).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace calrt::server {

class ConnectionDeadline {
  public:
    using clock = std::chrono::steady_clock;

    // `socket` must outlive this object; it is closed when a deadline passes.
    ConnectionDeadline(const boost::asio::any_io_executor& executor, boost::asio::ip::tcp::socket& socket);
    ~ConnectionDeadline();
    ConnectionDeadline(const ConnectionDeadline&) = delete;
    ConnectionDeadline& operator=(const ConnectionDeadline&) = delete;

    // The operations started from now on must end within `limit` from now.
    void expires_after(clock::duration limit);
    // No deadline: what is started now may take as long as it takes (or keeps a timeout of its own).
    void expires_never() noexcept;
    // Whether the last deadline passed, closing the socket.
    bool expired() const noexcept;
    // Lets go of the socket and ends the pending wait: after this nothing here touches the socket.
    // Called on the connection's executor when the connection ends, so that the object may then be
    // destroyed on any thread (the last reference to a connection can be dropped elsewhere).
    void stop() noexcept;

  private:
    struct Watch;
    static void look_at(const std::shared_ptr<Watch>& watch, clock::time_point when);
    static void on_look(const std::shared_ptr<Watch>& watch, unsigned generation, bool cancelled);

    // Shared with the pending timer wait, which may outlive the connection by a moment.
    std::shared_ptr<Watch> watch_;
    bool stopped_ = false;  // touched only by this object's owner, not by the wait
};

}  // namespace calrt::server

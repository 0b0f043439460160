#pragma once
// One HTTP connection: read a request, handle it, write the response, repeat while kept alive.

#include "connection_deadline.hpp"
#include "request_body.hpp"
#include "server_state.hpp"

#include "calrt/core/error.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include "calrt/net/lingering_tcp_stream.hpp"

#include <chrono>
#include <memory>

namespace calrt::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    // `peer_address`: the TCP peer, as the listener saw it.
    HttpSession(boost::asio::ip::tcp::socket socket, std::string peer_address, std::shared_ptr<ServerState> state);

    boost::asio::awaitable<void> run();

    // Thread-safe. Closes the connection now if it is between requests; a request in flight finishes
    // first and its response says Connection: close.
    void drain();
    // Thread-safe. Closes the connection whatever it is doing (shutdown deadline passed).
    void force_close();
    // Thread-safe. The server just became busy: if the connection is idle between requests, it
    // gets the shorter busy keep-alive limit from now on instead of waiting out the long one.
    void shorten_idle();

    boost::asio::any_io_executor executor() const { return executor_; }

private:
    // Writes `response` (adding the request id and connection headers); returns the body size.
    boost::asio::awaitable<std::size_t> write(Request& request, Response response, unsigned version,
                                              bool keep_alive, bool& ok);
    // Answers an error that ends the connection (bad head, oversized body, wrong media type) and
    // closes it without losing the answer to a reset (net/lingering_tcp_stream.hpp).
    boost::asio::awaitable<void> reject(Request& request, const Error& error, unsigned version,
                                        std::string_view route_label,
                                        std::chrono::steady_clock::time_point started);
    boost::asio::awaitable<void> close_lingering();
    // The answer to a body that could not be read whole (too large, or the body budget or this
    // address's share of it is held), counted in metrics.
    Error body_refusal(BodyReadOutcome outcome, const Error& too_large);
    // How long the connection may idle before its next request: shorter while the server is busy.
    std::chrono::milliseconds keepalive_timeout() const;

    // Closed after an error with a lingering teardown, so the answer is not lost to a reset.
    net::LingeringTcpStream stream_;
    std::shared_ptr<ServerState> state_;
    boost::asio::any_io_executor executor_;  // the connection's strand; outlives an upgrade's move
    std::string peer_address_;
    bool idle_ = true;  // waiting for the next request's first byte; touched only on the strand
    bool upgraded_ = false;
    bool shorten_requested_ = false;  // shorten_idle() cancelled the idle wait
    RequestPipeline::MetricsMemo metrics_memo_;
    // The deadline of the connection's own reads and writes (idle, head, response); the body read
    // and the lingering close keep Beast's stream timeouts. Declared after the stream it closes.
    ConnectionDeadline deadline_;
    std::string head_;  // the response head being written, kept for its capacity
};

}  // namespace calrt::server

#pragma once
// Reading a request's body under the body budget (server/admission.hpp, review item N1).
//
// The budget is charged as bytes arrive, not as declared: a body holds what it has received plus
// room for one more read (kBodyReadAheadBytes), never more than its declared Content-Length (a
// chunked body: its route's limit), and its memory grows with what arrived as well (Beast's
// string_body would allocate the whole declared length at the first body byte). So an idle
// connection that declares 1 MiB and sends nothing holds 16 KiB, not 1 MiB, and one address's
// bodies stop at its share of the budget.

#include "admission.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace calrt::server {

// What a body holds beyond the bytes it has received: room for the next read.
inline constexpr std::size_t kBodyReadAheadBytes = 16 * 1024;

struct BodyReadLimits {
    std::size_t max_bytes = 0;                   // the route's body limit (413 past it)
    std::chrono::milliseconds read_timeout{};    // the whole body
    std::chrono::milliseconds write_timeout{};   // a 100 Continue
    bool send_continue = false;                  // the client sent Expect: 100-continue
};

enum class BodyReadOutcome {
    complete,
    too_large,           // a chunked body grew past max_bytes (a declared length is checked before)
    server_budget_full,  // bodies being read hold MAX_BUFFERED_BODY_BYTES
    address_share_full,  // this client address's bodies hold its share
    connection_lost,     // timeout, reset, end of stream
};

struct BodyRead {
    BodyReadOutcome outcome = BodyReadOutcome::connection_lost;
    std::string body{};
    bool keep_alive = false;
};

// Reads the body of the request whose head `head` has parsed (the head is moved out of it),
// growing `reservation` before each read. The reservation keeps holding the body's bytes when this
// returns, until the caller drops it (after the handler has run).
boost::asio::awaitable<BodyRead> read_request_body(boost::beast::tcp_stream& stream,
                                                   boost::beast::flat_buffer& buffer,
                                                   boost::beast::http::request_parser<boost::beast::http::string_body>& head,
                                                   const BodyReadLimits& limits,
                                                   BodyBudget::Reservation& reservation);

}  // namespace calrt::server

#include "request_body.hpp"

#include "calrt/net/as_result.hpp"

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cstdint>

namespace calrt::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using net::as_result;

// A body in a std::string, like Beast's string_body, except that the reader does not reserve the
// declared Content-Length when the body begins: the string grows as bytes arrive (std::string's
// own doubling), so memory follows what the client actually sent.
struct ArrivingStringBody {
    using value_type = std::string;

    static std::uint64_t size(const value_type& body) { return body.size(); }

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

        // A body that fits in the read-ahead already charged (a webhook's few KiB) gets its room at
        // once instead of growing by copies; larger ones grow as they arrive.
        void init(const boost::optional<std::uint64_t>& length, beast::error_code& ec) {
            if (length) body_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, kBodyReadAheadBytes)));
            ec = {};
        }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
            const std::size_t extra = beast::buffer_bytes(buffers);
            if (extra > body_.max_size() - body_.size()) {
                ec = http::error::buffer_overflow;
                return 0;
            }
            for (const auto piece : beast::buffers_range_ref(buffers)) {
                body_.append(static_cast<const char*>(piece.data()), piece.size());
            }
            ec = {};
            return extra;
        }

        void finish(beast::error_code& ec) { ec = {}; }

    private:
        value_type& body_;
    };
};

BodyReadOutcome outcome_of(BodyBudget::Shortfall shortfall) {
    return shortfall == BodyBudget::Shortfall::address ? BodyReadOutcome::address_share_full
                                                       : BodyReadOutcome::server_budget_full;
}

}  // namespace

asio::awaitable<BodyRead> read_request_body(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                            http::request_parser<http::string_body>& head,
                                            const BodyReadLimits& limits, BodyBudget::Reservation& reservation) {
    const auto declared = head.content_length();
    // Beast's documented way to choose the body type once the head is known: a parser built from
    // the head's parser, before any body byte was parsed.
    http::request_parser<ArrivingStringBody> parser(std::move(head));
    parser.body_limit(limits.max_bytes);  // enforces the limit on chunked bodies as they arrive
    const std::size_t most = declared ? static_cast<std::size_t>(*declared) : limits.max_bytes;
    // What the body may come to hold before the next read is charged: what arrived (as allocated)
    // and room for one more read, never more than the body can be.
    auto charge = [&] {
        const std::string& body = parser.get().body();
        return reservation.grow_to(std::min(most, std::max(body.capacity(), body.size() + kBodyReadAheadBytes)));
    };

    BodyRead result;
    if (const auto shortfall = charge(); shortfall != BodyBudget::Shortfall::none) {
        result.outcome = outcome_of(shortfall);
        co_return result;
    }
    if (limits.send_continue) {
        http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
        stream.expires_after(limits.write_timeout);
        auto [ec, n] = co_await http::async_write(stream, go_on, as_result);
        if (ec) co_return result;
    }
    stream.expires_after(limits.read_timeout);
    while (!parser.is_done()) {
        auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, as_result);
        if (ec == http::error::body_limit) {
            result.outcome = BodyReadOutcome::too_large;
            co_return result;
        }
        if (ec) co_return result;
        // Also after the last read: the handler runs with the whole body charged.
        if (const auto shortfall = charge(); shortfall != BodyBudget::Shortfall::none) {
            result.outcome = outcome_of(shortfall);
            co_return result;
        }
    }
    result.outcome = BodyReadOutcome::complete;
    result.keep_alive = parser.get().keep_alive();
    result.body = std::move(parser.get().body());
    co_return result;
}

}  // namespace calrt::server

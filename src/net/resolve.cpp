#include "resolve.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <memory>

namespace calrt::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

asio::awaitable<ResolvedEndpoints> resolve_before(std::string host, std::string port,
                                                  std::chrono::steady_clock::time_point deadline) {
    boost::system::error_code not_an_address;
    const auto address = asio::ip::make_address(host, not_an_address);
    std::uint16_t port_number = 0;
    const auto parsed = std::from_chars(port.data(), port.data() + port.size(), port_number);
    if (!not_an_address && parsed.ec == std::errc() && parsed.ptr == port.data() + port.size()) {
        co_return ResolvedEndpoints{{}, {tcp::endpoint(address, port_number)}};
    }

    auto executor = co_await asio::this_coro::executor;
    // Shared with the timer's handler, which may run after this coroutine has returned.
    auto resolver = std::make_shared<tcp::resolver>(executor);
    auto timed_out = std::make_shared<bool>(false);
    asio::steady_timer timer(executor, deadline);
    timer.async_wait([resolver, timed_out](boost::system::error_code ec) {
        if (ec) return;
        *timed_out = true;
        resolver->cancel();
    });
    auto [ec, results] = co_await resolver->async_resolve(
        host, port, tcp::resolver::numeric_service, asio::as_tuple(asio::use_awaitable));
    timer.cancel();
    if (*timed_out) co_return ResolvedEndpoints{asio::error::timed_out, {}};
    if (ec) co_return ResolvedEndpoints{ec, {}};
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    co_return ResolvedEndpoints{{}, std::move(endpoints)};
}

}  // namespace calrt::net

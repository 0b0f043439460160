#pragma once
// Runs task(0) .. task(count-1) on `executor` with at most `concurrency` running at once, and
// completes when all have finished. Tasks write their own results (each to its own slot).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace calrt::calendly {

inline boost::asio::awaitable<void> run_bounded(boost::asio::any_io_executor executor, std::size_t count,
                                                std::size_t concurrency,
                                                std::function<boost::asio::awaitable<void>(std::size_t)> task) {
    if (count == 0) co_return;
    const std::size_t workers = std::clamp<std::size_t>(concurrency, 1, count);
    struct Shared {
        Shared(const boost::asio::any_io_executor& ex, std::size_t n) : finished(ex, n) {}
        std::atomic<std::size_t> next{0};
        boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> finished;
    };
    auto shared = std::make_shared<Shared>(executor, workers);
    for (std::size_t w = 0; w < workers; ++w) {
        boost::asio::co_spawn(
            executor,
            [shared, count, task]() -> boost::asio::awaitable<void> {
                for (std::size_t i; (i = shared->next.fetch_add(1)) < count;) co_await task(i);
            },
            [shared](std::exception_ptr) { shared->finished.try_send(boost::system::error_code{}); });
    }
    for (std::size_t w = 0; w < workers; ++w) {
        co_await shared->finished.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
}

}  // namespace calrt::calendly

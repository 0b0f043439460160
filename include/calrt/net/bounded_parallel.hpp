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
#include <vector>

namespace calrt::net {

namespace detail {

struct BoundedRun {
    BoundedRun(const boost::asio::any_io_executor& ex, std::size_t workers) : finished(ex, workers) {}
    std::atomic<std::size_t> next{0};
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> finished;
};

// A named coroutine, not a lambda: GCC 12 destroys a coroutine lambda's by-value captures twice.
inline boost::asio::awaitable<void> bounded_worker(std::shared_ptr<BoundedRun> run, std::size_t count,
                                                   std::function<boost::asio::awaitable<void>(std::size_t)> task) {
    for (std::size_t i; (i = run->next.fetch_add(1)) < count;) co_await task(i);
}

}  // namespace detail

// Tasks must not throw (they report failures in their results); a thrown exception ends that worker.
inline boost::asio::awaitable<void> run_bounded(boost::asio::any_io_executor executor, std::size_t count,
                                                std::size_t concurrency,
                                                std::function<boost::asio::awaitable<void>(std::size_t)> task) {
    if (count == 0) co_return;
    const std::size_t workers = std::clamp<std::size_t>(concurrency, 1, count);
    auto run = std::make_shared<detail::BoundedRun>(executor, workers);
    for (std::size_t w = 0; w < workers; ++w) {
        boost::asio::co_spawn(executor, detail::bounded_worker(run, count, task),
                              [run](std::exception_ptr) { run->finished.try_send(boost::system::error_code{}); });
    }
    for (std::size_t w = 0; w < workers; ++w) {
        co_await run->finished.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
}

// The results of task(0) .. task(count-1), run as run_bounded runs them. Every result starts as
// `unfinished`, and stays so for a task that throws: a caller never reads a result nobody stored
// (review N14, where a default-constructed success held a null pointer).
template <class T>
boost::asio::awaitable<std::vector<T>> gather_bounded(boost::asio::any_io_executor executor, std::size_t count,
                                                      std::size_t concurrency,
                                                      std::function<boost::asio::awaitable<T>(std::size_t)> task,
                                                      const T& unfinished) {
    std::vector<T> results(count, unfinished);
    co_await run_bounded(executor, count, concurrency, [&](std::size_t i) -> boost::asio::awaitable<void> {
        results[i] = co_await task(i);
    });
    co_return results;
}

}  // namespace calrt::net

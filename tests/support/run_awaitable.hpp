#pragma once
// Runs a coroutine on a running io_context and waits for its result from the test's thread.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace calrt::test {

template <class T>
T run_awaitable(boost::asio::io_context& io, boost::asio::awaitable<T> operation) {
    return boost::asio::co_spawn(io, std::move(operation), boost::asio::use_future).get();
}

}  // namespace calrt::test

#pragma once
// An io_context run by a few threads for the length of a test, and a way for the test thread to
// wait for a coroutine's result.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <thread>
#include <utility>
#include <vector>

namespace calrt::test {

class IoThreads {
  public:
    explicit IoThreads(unsigned count = 2);
    ~IoThreads();
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;

    // Runs `task` on the io_context and blocks until it finishes; rethrows what it throws.
    template <class T>
    T run(boost::asio::awaitable<T> task) {
        return boost::asio::co_spawn(io, std::move(task), boost::asio::use_future).get();
    }

    // Starts `task` on the io_context; the future gets its result.
    template <class T>
    std::future<T> spawn(boost::asio::awaitable<T> task) {
        return boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
    }

    // Stops the io_context and joins the threads (as the destructor does). A fixture calls it
    // first thing in its destructor, so that nothing runs while its other members are destroyed.
    void stop();

    boost::asio::io_context io;

  private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::jthread> threads_;
};

}  // namespace calrt::test

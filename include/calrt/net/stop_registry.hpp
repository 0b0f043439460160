#pragma once
// Work in progress that a stop must cut short: a request waiting on a socket, a retry waiting out
// its backoff. Each enrolls with how to cut it short (close the socket, cancel the timer) and the
// strand it runs on; stop() runs each of those on its strand. Shutdown then ends by running out of
// work instead of waiting out timeouts (review item M1).
//
// A Ticket is created and destroyed on the enrolled strand, before what the callback touches is
// destroyed; the callback runs on the same strand only while the ticket is alive, so it never
// touches anything gone. Thread-safe.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>

#include <functional>
#include <memory>
#include <mutex>
#include <set>

namespace calrt::net {

class StopRegistry {
    struct Entry {
        boost::asio::any_io_executor strand;
        std::function<void()> cut_short;
        bool done = false;  // touched on `strand` only
    };

public:
    class Ticket {
    public:
        Ticket() = default;
        Ticket(std::shared_ptr<StopRegistry> registry, std::shared_ptr<Entry> entry)
            : registry_(std::move(registry)), entry_(std::move(entry)) {}
        Ticket(Ticket&&) noexcept = default;
        Ticket& operator=(Ticket&&) = delete;
        Ticket(const Ticket&) = delete;
        ~Ticket();

    private:
        std::shared_ptr<StopRegistry> registry_;
        std::shared_ptr<Entry> entry_;
    };

    // Must be called on `strand`. When the registry is already stopped, `cut_short` runs at once
    // (posted to the strand).
    static Ticket enroll(const std::shared_ptr<StopRegistry>& registry, boost::asio::any_io_executor strand,
                         std::function<void()> cut_short);

    // Cuts short everything enrolled, now and later.
    void stop();
    bool stopped() const;

private:
    static void post_cut_short(const std::shared_ptr<Entry>& entry);

    mutable std::mutex mutex_;
    bool stopped_ = false;
    std::set<std::shared_ptr<Entry>> entries_;
};

// Waits until `until`, or less when `registry` stops first; true when it was stopped. Runs the
// wait on a strand of its own made from `executor`.
boost::asio::awaitable<bool> sleep_until(std::shared_ptr<StopRegistry> registry, boost::asio::any_io_executor executor,
                                         std::chrono::steady_clock::time_point until);

}  // namespace calrt::net

#pragma once
// A TTL cache whose concurrent misses for one key share one load ("singleflight"): the first caller
// loads, the others wait for its result. 1,000 cold requests for the event types make one upstream
// page sequence, not 1,000. Failed loads are not cached; their waiters receive the same error.

#include "calrt/core/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace calrt::calendly {

template <class T>
class SingleflightCache {
public:
    explicit SingleflightCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}

    // `load` is a callable returning awaitable<Result<T>>; it runs at most once per miss. It is
    // taken by reference: it lives in the caller's co_await full-expression until get() finishes.
    template <class Loader>
    boost::asio::awaitable<Result<T>> get(const std::string& key, Loader&& load) {
        std::shared_ptr<Waiter> waiter;
        {
            std::lock_guard lock(mutex_);
            Entry& entry = entries_[key];
            if (entry.value && Clock::now() - entry.loaded_at < ttl_) co_return *entry.value;
            if (entry.loading) {
                waiter = std::make_shared<Waiter>(co_await boost::asio::this_coro::executor);
                entry.waiters.push_back(waiter);
            } else {
                entry.loading = true;
            }
        }
        if (waiter) {
            // A result sent before we start receiving is buffered by the channel (capacity 1).
            co_await waiter->ready.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
            co_return *waiter->result;
        }

        Result<T> result = co_await load();
        std::vector<std::shared_ptr<Waiter>> waiters;
        {
            std::lock_guard lock(mutex_);
            Entry& entry = entries_[key];
            entry.loading = false;
            if (result) {
                entry.value = *result;
                entry.loaded_at = Clock::now();
            }
            waiters.swap(entry.waiters);
        }
        for (auto& w : waiters) {
            w->result = result;
            w->ready.try_send(boost::system::error_code{});
        }
        co_return result;
    }

    void invalidate(const std::string& key) {
        std::lock_guard lock(mutex_);
        if (auto it = entries_.find(key); it != entries_.end()) it->second.value.reset();
    }

private:
    using Clock = std::chrono::steady_clock;
    struct Waiter {
        explicit Waiter(const boost::asio::any_io_executor& executor) : ready(executor, 1) {}
        boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> ready;
        std::optional<Result<T>> result;  // written before `ready` is signalled
    };
    struct Entry {
        std::optional<T> value;
        Clock::time_point loaded_at{};
        bool loading = false;
        std::vector<std::shared_ptr<Waiter>> waiters;
    };

    const std::chrono::milliseconds ttl_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace calrt::calendly

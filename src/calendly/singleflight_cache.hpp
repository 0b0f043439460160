#pragma once
// A TTL cache whose concurrent misses for one key share one load ("singleflight"): the first caller
// loads, the others wait for its result. 1,000 cold requests for the event types make one upstream
// page sequence, not 1,000. Failed loads are not cached; their waiters receive the same error. A
// load that throws wakes its waiters with an error and leaves the key loadable again. Optionally
// bounded in entries: a new key then evicts the least recently loaded one.

#include "calrt/core/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::calendly {

template <class T>
class SingleflightCache {
public:
    explicit SingleflightCache(std::chrono::milliseconds ttl,
                               std::size_t max_entries = std::numeric_limits<std::size_t>::max())
        : ttl_(ttl), max_entries_(max_entries) {}

    // `load` is a callable returning awaitable<Result<T>>; it runs at most once per miss. It is
    // taken by reference: it lives in the caller's co_await full-expression until get() finishes.
    template <class Loader>
    boost::asio::awaitable<Result<T>> get(const std::string& key, Loader&& load) {
        std::shared_ptr<Waiter> waiter;
        std::uint64_t generation = 0;
        {
            std::lock_guard lock(mutex_);
            auto found = entries_.find(key);
            if (found == entries_.end()) {
                make_room();
                found = entries_.emplace(key, Entry{}).first;
            }
            Entry& entry = found->second;
            if (entry.value && Clock::now() - entry.loaded_at < ttl_) co_return *entry.value;
            if (entry.loading) {
                waiter = std::make_shared<Waiter>(co_await boost::asio::this_coro::executor);
                entry.waiters.push_back(waiter);
            } else {
                entry.loading = true;
                generation = entry.generation;
            }
        }
        if (waiter) {
            // A result sent before we start receiving is buffered by the channel (capacity 1).
            co_await waiter->ready.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
            co_return *waiter->result;
        }

        std::optional<Result<T>> result;
        // Not a destructor-based guard: that would also run when the io_context destroys this
        // suspended frame at shutdown, after the cache itself is gone.
        try {
            result.emplace(co_await load());
        } catch (...) {
            finish(key, generation,
                   Error::make(ErrorKind::internal, "cache_load_failed",
                               "loading this Calendly data failed unexpectedly; try again"));
            throw;
        }
        finish(key, generation, *result);
        co_return std::move(*result);
    }

    // The value of `key` when it is loaded and fresh, without waiting and without loading it;
    // nullopt otherwise (get() then loads it as usual).
    std::optional<T> fresh(std::string_view key) const {
        std::lock_guard lock(mutex_);
        const auto found = entries_.find(key);
        if (found == entries_.end() || !found->second.value || Clock::now() - found->second.loaded_at >= ttl_) {
            return std::nullopt;
        }
        return found->second.value;
    }

    void invalidate(const std::string& key) {
        std::lock_guard lock(mutex_);
        if (auto it = entries_.find(key); it != entries_.end()) forget(it->second);
    }

    // Drops every key that starts with `prefix`, including answers still being loaded (they are
    // returned to their callers but not kept).
    void invalidate_prefix(std::string_view prefix) {
        std::lock_guard lock(mutex_);
        for (auto it = entries_.lower_bound(prefix);
             it != entries_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix; ++it) {
            forget(it->second);
        }
    }

    std::size_t size() const {
        std::lock_guard lock(mutex_);
        return entries_.size();
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
        // Bumped by invalidation, so that a load begun before it does not store a stale answer.
        std::uint64_t generation = 0;
        std::vector<std::shared_ptr<Waiter>> waiters;
    };

    static void forget(Entry& entry) {
        entry.value.reset();
        ++entry.generation;
    }

    // Ends the load of `key` begun at `generation`: stores a success unless the key was
    // invalidated meanwhile, and hands `result` to the waiters.
    void finish(const std::string& key, std::uint64_t generation, const Result<T>& result) {
        std::vector<std::shared_ptr<Waiter>> waiters;
        {
            std::lock_guard lock(mutex_);
            Entry& entry = entries_[key];
            entry.loading = false;
            if (result && entry.generation == generation) {
                entry.value = *result;
                entry.loaded_at = Clock::now();
            }
            waiters.swap(entry.waiters);
        }
        for (auto& w : waiters) {
            w->result = result;
            w->ready.try_send(boost::system::error_code{});
        }
    }

    // With mutex_ held, before adding a key: at the bound, evicts the entry loaded longest ago
    // (empty ones first). Entries being loaded stay, so the bound may be passed while every entry
    // is loading.
    void make_room() {
        if (entries_.size() < max_entries_) return;
        auto oldest = entries_.end();
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->second.loading) continue;
            if (oldest == entries_.end() || !it->second.value ||
                (oldest->second.value && it->second.loaded_at < oldest->second.loaded_at)) {
                oldest = it;
                if (!it->second.value) break;
            }
        }
        if (oldest != entries_.end()) entries_.erase(oldest);
    }

    const std::chrono::milliseconds ttl_;
    const std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace calrt::calendly

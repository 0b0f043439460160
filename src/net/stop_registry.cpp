#include "calrt/net/stop_registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <vector>

namespace calrt::net {

StopRegistry::Ticket::~Ticket() {
    if (!entry_) return;
    entry_->done = true;  // on the strand: a cut_short posted but not yet run will not run
    std::lock_guard lock(registry_->mutex_);
    registry_->entries_.erase(entry_);
}

StopRegistry::Ticket StopRegistry::enroll(const std::shared_ptr<StopRegistry>& registry,
                                          boost::asio::any_io_executor strand, std::function<void()> cut_short) {
    auto entry = std::make_shared<Entry>(Entry{std::move(strand), std::move(cut_short)});
    bool stopped = false;
    {
        std::lock_guard lock(registry->mutex_);
        stopped = registry->stopped_;
        registry->entries_.insert(entry);
    }
    if (stopped) post_cut_short(entry);
    return Ticket(registry, std::move(entry));
}

void StopRegistry::stop() {
    std::vector<std::shared_ptr<Entry>> enrolled;
    {
        std::lock_guard lock(mutex_);
        stopped_ = true;
        enrolled.assign(entries_.begin(), entries_.end());
    }
    for (const auto& entry : enrolled) post_cut_short(entry);
}

bool StopRegistry::stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
}

void StopRegistry::post_cut_short(const std::shared_ptr<Entry>& entry) {
    boost::asio::post(entry->strand, [entry] {
        if (!entry->done) entry->cut_short();
    });
}

namespace {

boost::asio::awaitable<bool> sleep_on_strand(std::shared_ptr<StopRegistry> registry,
                                             std::chrono::steady_clock::time_point until) {
    const auto strand = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer timer(strand, until);
    {
        const auto ticket = StopRegistry::enroll(registry, strand, [&timer] { timer.cancel(); });
        co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_return registry->stopped();
}

}  // namespace

boost::asio::awaitable<bool> sleep_until(std::shared_ptr<StopRegistry> registry, boost::asio::any_io_executor executor,
                                         std::chrono::steady_clock::time_point until) {
    co_return co_await boost::asio::co_spawn(boost::asio::make_strand(executor),
                                             sleep_on_strand(std::move(registry), until), boost::asio::use_awaitable);
}

}  // namespace calrt::net

#include "calrt/store/delivery_feed.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <deque>
#include <mutex>
#include <vector>

namespace calrt::store {
namespace asio = boost::asio;

struct DeliveryFeed::Subscriber : std::enable_shared_from_this<DeliveryFeed::Subscriber> {
    Subscriber(asio::any_io_executor ex, Callback cb, SubscriberOptions opts,
               Counter& dropped_counter)
        : executor(std::move(ex)),
          callback(std::move(cb)),
          options(std::move(opts)),
          dropped_metric(dropped_counter) {}

    const asio::any_io_executor executor;
    const Callback callback;
    const SubscriberOptions options;
    Counter& dropped_metric;

    std::atomic<bool> active{true};
    std::atomic<std::uint64_t> dropped{0};

    std::mutex mutex;
    std::deque<std::shared_ptr<const StoredDelivery>> queue;  // guarded by mutex
    bool drain_posted = false;                                // guarded by mutex

    bool wants(const StoredDelivery& delivery) const {
        return options.event.empty() || options.event == delivery.delivery.event;
    }

    void enqueue(std::shared_ptr<const StoredDelivery> delivery) {
        std::lock_guard lock(mutex);
        if (queue.size() >= options.max_queued) {
            dropped.fetch_add(1, std::memory_order_relaxed);
            dropped_metric.inc();
            return;
        }
        queue.push_back(std::move(delivery));
        if (!drain_posted) {
            drain_posted = true;
            asio::post(executor, [self = shared_from_this()] { self->drain(); });
        }
    }

    // Runs on the subscriber's executor: hands over what is queued now, then posts itself again if
    // more arrived meanwhile, so one busy subscriber cannot monopolise a shared executor.
    void drain() {
        std::deque<std::shared_ptr<const StoredDelivery>> batch;
        {
            std::lock_guard lock(mutex);
            batch.swap(queue);
        }
        for (auto& delivery : batch) {
            if (!active.load(std::memory_order_acquire)) break;
            callback(std::move(delivery));
        }
        std::lock_guard lock(mutex);
        if (queue.empty() || !active.load(std::memory_order_acquire)) {
            drain_posted = false;
            return;
        }
        asio::post(executor, [self = shared_from_this()] { self->drain(); });
    }
};

struct DeliveryFeed::Hub {
    mutable std::mutex mutex;
    std::vector<std::shared_ptr<Subscriber>> subscribers;  // guarded by mutex
};

DeliveryFeed::Subscription::Subscription(std::weak_ptr<Hub> hub,
                                         std::shared_ptr<Subscriber> subscriber)
    : hub_(std::move(hub)), subscriber_(std::move(subscriber)) {}

DeliveryFeed::Subscription& DeliveryFeed::Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        reset();
        hub_ = std::move(other.hub_);
        subscriber_ = std::move(other.subscriber_);
    }
    return *this;
}

DeliveryFeed::Subscription::~Subscription() { reset(); }

void DeliveryFeed::Subscription::reset() {
    if (!subscriber_) return;
    subscriber_->active.store(false, std::memory_order_release);
    if (auto hub = hub_.lock()) {
        std::lock_guard lock(hub->mutex);
        std::erase(hub->subscribers, subscriber_);
    }
    subscriber_.reset();
    hub_.reset();
}

std::uint64_t DeliveryFeed::Subscription::dropped() const noexcept {
    return subscriber_ ? subscriber_->dropped.load(std::memory_order_relaxed) : 0;
}

DeliveryFeed::DeliveryFeed(MetricsRegistry& metrics)
    : hub_(std::make_shared<Hub>()),
      published_(
          metrics.counter("webhook_feed_published_total",
                          "Committed new webhook deliveries handed to in-process subscribers")),
      dropped_(metrics.counter("webhook_feed_dropped_total",
                               "Webhook deliveries a slow in-process subscriber did not receive")) {
}

DeliveryFeed::~DeliveryFeed() = default;

DeliveryFeed::Subscription DeliveryFeed::subscribe(asio::any_io_executor executor,
                                                   Callback callback, SubscriberOptions options) {
    auto subscriber = std::make_shared<Subscriber>(std::move(executor), std::move(callback),
                                                   std::move(options), dropped_);
    {
        std::lock_guard lock(hub_->mutex);
        hub_->subscribers.push_back(subscriber);
    }
    return Subscription(hub_, std::move(subscriber));
}

void DeliveryFeed::publish(std::shared_ptr<const StoredDelivery> delivery) {
    std::vector<std::shared_ptr<Subscriber>> subscribers;
    {
        std::lock_guard lock(hub_->mutex);
        subscribers = hub_->subscribers;
    }
    published_.inc();
    for (const auto& subscriber : subscribers) {
        if (subscriber->wants(*delivery)) subscriber->enqueue(delivery);
    }
}

std::size_t DeliveryFeed::subscriber_count() const {
    std::lock_guard lock(hub_->mutex);
    return hub_->subscribers.size();
}

}  // namespace calrt::store

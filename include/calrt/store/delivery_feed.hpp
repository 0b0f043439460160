#pragma once
// In-process publication of newly committed webhook deliveries (the relay subscribes to
// `invitee.created` to confirm bookings live). Publishing never waits for a subscriber: each one
// has a bounded queue drained on its own executor, and deliveries that do not fit are dropped and
// counted, so a slow subscriber can never delay a webhook's acknowledgement (Calendly gives up
// after 15 s).

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "calrt/core/metrics.hpp"
#include "calrt/store/webhook_delivery.hpp"

namespace calrt::store {

// A delivery as stored: its row id plus what was received.
struct StoredDelivery {
    std::int64_t id = 0;
    WebhookDelivery delivery;
};

struct SubscriberOptions {
    std::string event{};           // only deliveries of this event name; empty: every event
    std::size_t max_queued = 256;  // deliveries waiting for the callback beyond this are dropped
};

class DeliveryFeed {
    struct Hub;
    struct Subscriber;

  public:
    // Runs on the subscriber's executor, one delivery at a time, in commit order. Must not throw.
    using Callback = std::function<void(std::shared_ptr<const StoredDelivery>)>;

    // Ends the subscription when destroyed: no callback starts afterwards (one already running on
    // the subscriber's executor finishes). May outlive the feed.
    class Subscription {
      public:
        Subscription() = default;
        Subscription(Subscription&& other) noexcept = default;
        Subscription& operator=(Subscription&& other) noexcept;
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;
        ~Subscription();

        void reset();
        bool active() const noexcept { return subscriber_ != nullptr; }
        // Deliveries this subscriber lost because its queue was full.
        std::uint64_t dropped() const noexcept;

      private:
        friend class DeliveryFeed;
        Subscription(std::weak_ptr<Hub> hub, std::shared_ptr<Subscriber> subscriber);
        std::weak_ptr<Hub> hub_;
        std::shared_ptr<Subscriber> subscriber_;
    };

    explicit DeliveryFeed(MetricsRegistry& metrics);
    ~DeliveryFeed();
    DeliveryFeed(const DeliveryFeed&) = delete;
    DeliveryFeed& operator=(const DeliveryFeed&) = delete;

    [[nodiscard]] Subscription subscribe(boost::asio::any_io_executor executor, Callback callback,
                                         SubscriberOptions options = {});

    // Hands `delivery` to every matching subscriber's queue and returns without running callbacks.
    void publish(std::shared_ptr<const StoredDelivery> delivery);

    std::size_t subscriber_count() const;

  private:
    std::shared_ptr<Hub> hub_;
    Counter& published_;
    Counter& dropped_;
};

}  // namespace calrt::store

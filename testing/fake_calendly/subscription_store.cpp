#include "testing/fake_calendly/subscription_store.hpp"

#include <algorithm>

namespace calrt::testing::fake {

CalendlyResult<WebhookSubscriptionRecord> SubscriptionStore::add(
    WebhookSubscriptionRecord subscription) {
    std::lock_guard lock(mutex_);
    for (const auto& existing : subscriptions_) {
        if (existing.callback_url == subscription.callback_url) {
            return already_exists("Hook with this url already exists");
        }
    }
    subscriptions_.push_back(subscription);
    return subscription;
}

std::vector<WebhookSubscriptionRecord> SubscriptionStore::all() const {
    std::lock_guard lock(mutex_);
    return subscriptions_;
}

std::optional<WebhookSubscriptionRecord> SubscriptionStore::find(std::string_view uuid) const {
    std::lock_guard lock(mutex_);
    for (const auto& s : subscriptions_) {
        if (s.uuid == uuid) return s;
    }
    return std::nullopt;
}

bool SubscriptionStore::remove(std::string_view uuid) {
    std::lock_guard lock(mutex_);
    const auto before = subscriptions_.size();
    std::erase_if(subscriptions_, [uuid](const auto& s) { return s.uuid == uuid; });
    return subscriptions_.size() != before;
}

std::vector<WebhookSubscriptionRecord> SubscriptionStore::subscribed_to(
    std::string_view event) const {
    std::lock_guard lock(mutex_);
    std::vector<WebhookSubscriptionRecord> out;
    for (const auto& s : subscriptions_) {
        if (std::find(s.events.begin(), s.events.end(), event) != s.events.end()) out.push_back(s);
    }
    return out;
}

}  // namespace calrt::testing::fake

#include "calrt/phone/webhook_claims.hpp"

#include "calrt/store/webhook_store.hpp"

namespace calrt::phone {

boost::asio::awaitable<Result<bool>> InMemoryWebhookClaims::claim(std::string key) {
    std::lock_guard lock(mutex_);
    if (keys_.contains(key)) co_return false;
    keys_.insert(key);
    order_.push_back(std::move(key));
    while (order_.size() > max_keys_) {
        keys_.erase(order_.front());
        order_.pop_front();
    }
    co_return true;
}

boost::asio::awaitable<Result<bool>> StoreWebhookClaims::claim(std::string key) {
    co_return co_await store_.claim_once("openai_webhook:" + key);
}

}  // namespace calrt::phone

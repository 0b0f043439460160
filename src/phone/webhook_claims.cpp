#include "calrt/phone/webhook_claims.hpp"

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

}  // namespace calrt::phone

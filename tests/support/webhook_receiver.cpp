#include "support/webhook_receiver.hpp"

#include "calrt/server/responses.hpp"

#include <nlohmann/json.hpp>

namespace calrt::test {

WebhookReceiver::WebhookReceiver(std::string path) : path_(std::move(path)) {
    server_.router.post(path_, server::sync_handler([this](server::Request& request) {
                            std::lock_guard lock(mutex_);
                            deliveries_.push_back(
                                {request.body, std::string(request.header("Calendly-Webhook-Signature"))});
                            return server::json_response(200, nlohmann::json{{"received", true}});
                        }));
    server_.start();
}

std::string WebhookReceiver::url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + path_; }

std::vector<WebhookReceiver::Delivery> WebhookReceiver::received() {
    std::lock_guard lock(mutex_);
    return deliveries_;
}

}  // namespace calrt::test

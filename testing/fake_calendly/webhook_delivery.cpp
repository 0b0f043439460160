#include "testing/fake_calendly/webhook_delivery.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <mutex>

#include "calrt/core/logging.hpp"
#include "calrt/net/http_client.hpp"
#include "testing/fake_calendly/webhook_signature.hpp"

namespace calrt::testing::fake {
namespace asio = boost::asio;

struct WebhookDelivery::Shared {
    Shared(asio::any_io_executor io_executor, std::chrono::milliseconds timeout)
        : executor(io_executor), client(io_executor, [timeout] {
              net::HttpClientOptions options;
              options.connect_timeout = timeout;
              options.request_timeout = timeout;
              options.user_agent = "Calendly";
              return options;
          }()) {}

    asio::any_io_executor executor;
    net::HttpClient client;
    mutable std::mutex mutex;
    std::vector<WebhookDeliveryRecord> records;
};

namespace {

asio::awaitable<void> post_envelope(std::shared_ptr<WebhookDelivery::Shared> shared,
                                    WebhookDeliveryRecord record) {
    net::HttpRequest request;
    request.method = "POST";
    request.url = record.url;
    request.headers = {{"Content-Type", "application/json"}};
    if (!record.signature.empty())
        request.headers.emplace_back("Calendly-Webhook-Signature", record.signature);
    request.body = record.body;
    auto response = co_await shared->client.send(std::move(request));
    if (response) {
        record.status = response->status;
    } else {
        record.error = response.error().code + ": " + response.error().message;
        log::warn("fake Calendly: webhook delivery failed",
                  {{"event", record.event}, {"error", record.error}});
    }
    std::lock_guard lock(shared->mutex);
    shared->records.push_back(std::move(record));
}

}  // namespace

WebhookDelivery::WebhookDelivery(asio::any_io_executor executor, std::chrono::milliseconds timeout)
    : shared_(std::make_shared<Shared>(std::move(executor), timeout)) {}

void WebhookDelivery::deliver(const std::vector<WebhookTarget>& targets, const std::string& event,
                              nlohmann::json payload, const std::string& created_by,
                              TimePoint now) {
    if (targets.empty()) return;
    const nlohmann::json envelope = {{"event", event},
                                     {"created_at", format_calendly_time(now)},
                                     {"created_by", created_by},
                                     {"payload", std::move(payload)}};
    const std::string body = envelope.dump();
    for (const auto& target : targets) {
        WebhookDeliveryRecord record;
        record.event = event;
        record.url = target.url;
        record.body = body;
        if (!target.signing_key.empty()) {
            record.signature =
                calendly_webhook_signature(target.signing_key, unix_seconds(now), body);
        }
        asio::co_spawn(shared_->executor, post_envelope(shared_, std::move(record)),
                       asio::detached);
    }
}

std::vector<WebhookDeliveryRecord> WebhookDelivery::records() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->records;
}

}  // namespace calrt::testing::fake

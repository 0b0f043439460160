#include "support/webhook_store_support.hpp"

#include <stdexcept>

#include "calrt/core/logging.hpp"
#include "support/webhook_envelope.hpp"

namespace calrt::test {

store::StoreOptions store_options(const TempDir& dir, MetricsRegistry& metrics) {
    log::configure("warn", "text");
    store::StoreOptions options;
    options.data_dir = dir.path() / "data";
    options.metrics = &metrics;
    return options;
}

store::WebhookDelivery webhook_delivery(std::string_view event, int n,
                                        std::chrono::system_clock::time_point received_at) {
    auto delivery =
        store::parse_webhook_envelope(webhook_envelope(event, invitee_uri(n)), received_at);
    if (!delivery)
        throw std::logic_error("test envelope does not parse: " + delivery.error().message);
    return std::move(*delivery);
}

std::set<std::string> stored_payload_uris(store::WebhookStore& store) {
    std::set<std::string> uris;
    std::optional<std::string> cursor;
    do {
        store::ListQuery query;
        query.limit = store::kMaxListLimit;
        query.cursor = cursor;
        auto page = store.list_blocking(query);
        if (!page) throw std::runtime_error("listing stored deliveries: " + page.error().message);
        for (const auto& item : page->items) uris.insert(item.delivery.payload_uri);
        cursor = page->next_cursor;
    } while (cursor);
    return uris;
}

}  // namespace calrt::test

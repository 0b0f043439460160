#include "webhook_listing.hpp"

#include "calrt/core/json_nesting.hpp"
#include "calrt/core/time.hpp"

namespace calrt::server {
namespace {

nlohmann::json envelope_error(std::string code, std::string message) {
    return {{"code", std::move(code)}, {"message", std::move(message)}};
}

}  // namespace

nlohmann::json listed_delivery(const store::StoredDelivery& stored) {
    const auto& d = stored.delivery;
    const auto received_ms = std::chrono::duration_cast<std::chrono::milliseconds>(d.received_at.time_since_epoch());
    nlohmann::json item{{"id", stored.id},
                        {"event", d.event},
                        {"payload_uri", d.payload_uri},
                        {"created_at", d.envelope_created_at},
                        {"received_at", format_rfc3339(Timestamp(received_ms))}};
    // Depth first: dumping the response recurses once per level, so a deep row (stored before
    // intake refused them) would overflow the stack of whoever lists it.
    if (!json_nesting_within(d.raw_body)) {
        item["envelope"] = nullptr;
        item["envelope_error"] = envelope_error(
            "too_deeply_nested", "the stored body nests deeper than " + std::to_string(kMaxJsonNesting) + " levels");
        return item;
    }
    auto envelope = nlohmann::json::parse(d.raw_body, nullptr, false);
    if (envelope.is_discarded()) {
        item["envelope"] = nullptr;
        item["envelope_error"] = envelope_error("invalid_json", "the stored body is not valid JSON");
        return item;
    }
    item["envelope"] = std::move(envelope);
    return item;
}

}  // namespace calrt::server

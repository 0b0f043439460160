// libFuzzer target: a stored webhook row being listed (GET /api/calendly/webhook/events). Rows may
// hold anything (written by an older build or by hand); rendering one and dumping the result must
// never crash or throw, and a row that cannot be shown carries an error marker.
#include "server/webhook_listing.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    calrt::store::StoredDelivery row;
    row.id = 1;
    row.delivery.event = "invitee.created";
    row.delivery.raw_body.assign(reinterpret_cast<const char*>(data), size);
    const auto item = calrt::server::listed_delivery(row);
    if (item.contains("envelope_error") && !item["envelope"].is_null()) __builtin_trap();
    (void)item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}

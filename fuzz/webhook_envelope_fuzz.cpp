// libFuzzer target: the webhook envelope parser. Any bytes must give a delivery or an error value;
// a parsed delivery keeps the raw body byte for byte.
#include "calrt/store/webhook_delivery.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    auto delivery = calrt::store::parse_webhook_envelope(raw, std::chrono::system_clock::time_point{});
    if (delivery && delivery->raw_body != raw) __builtin_trap();
    return 0;
}

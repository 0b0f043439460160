#include "testing/fake_calendly/resource_ids.hpp"

namespace calrt::testing::fake {

ResourceIds::ResourceIds() : engine_(std::random_device{}()) {}

ResourceIds::ResourceIds(std::uint64_t seed) : engine_(seed) {}

std::string ResourceIds::hex(std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::lock_guard lock(mutex_);
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out += kDigits[engine_() % 16];
    return out;
}

std::string ResourceIds::uuid() {
    std::string id = hex(32);
    id[12] = '4';                                             // version 4
    id[16] = "89ab"[static_cast<unsigned char>(id[16]) % 4];  // RFC 4122 variant
    return id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
           id.substr(16, 4) + "-" + id.substr(20, 12);
}

std::string ResourceIds::link_id() {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::lock_guard lock(mutex_);
    std::string out;
    for (int i = 0; i < 9; ++i) out += i == 4 ? '-' : kAlphabet[engine_() % 36];
    return out;
}

}  // namespace calrt::testing::fake

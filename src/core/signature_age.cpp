#include "calrt/core/signature_age.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace calrt {

Result<void> check_signature_age(std::string_view timestamp, std::string_view what,
                                 std::chrono::sys_seconds now, std::chrono::seconds tolerance) {
    std::int64_t signed_at = 0;
    for (char c : timestamp) signed_at = signed_at * 10 + (c - '0');
    const std::int64_t age = now.time_since_epoch().count() - signed_at;
    const std::int64_t allowed = std::max<std::int64_t>(tolerance.count(), 0);
    if (age > allowed || age < -allowed) {
        return Error::make(ErrorKind::unauthenticated, "stale_webhook_signature",
                           "the " + std::string(what) + " is " + std::to_string(age) + " s from now, more than the " +
                               std::to_string(allowed) + " s allowed");
    }
    return {};
}

}  // namespace calrt

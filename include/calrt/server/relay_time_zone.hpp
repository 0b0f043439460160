#pragma once
// The person's time zone as the chat page sends it when it opens the relay: the query parameter
// `tz` of the upgrade request (GET /api/realtime?tz=Asia/Kolkata), the browser's
// Intl.DateTimeFormat().resolvedOptions().timeZone or the zone the person picked.

#include <optional>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/time_zone.hpp"

namespace calrt::server {

// Nullopt when the target has no `tz` (or an empty one): the assistant then asks. A `tz` that names
// no zone in `zones` is invalid_argument "invalid_timezone" (the relay refuses the upgrade with
// 400, so a page never talks to an assistant that has the wrong zone).
Result<std::optional<TimeZone>> relay_time_zone(std::string_view target, TimeZoneCache& zones);

}  // namespace calrt::server

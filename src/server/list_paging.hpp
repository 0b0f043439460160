#pragma once
// The paging parameters every admin listing takes (GET /api/calendly/webhook/events and
// /api/calendly/self-service/changes): `since`, `limit` and `cursor`, checked the same way.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "calrt/core/error.hpp"
#include "calrt/server/request_validation.hpp"
#include "calrt/store/webhook_store.hpp"

namespace calrt::server {

struct ListPaging {
    std::optional<std::chrono::system_clock::time_point> since{};
    std::size_t limit = store::kDefaultListLimit;
    std::optional<std::string> cursor{};
};

// Errors: invalid_time (since), invalid_limit (not a whole number from 1 to store::kMaxListLimit).
// The cursor is checked by the store, which made it.
Result<ListPaging> list_paging(const ActionParams& params);

}  // namespace calrt::server

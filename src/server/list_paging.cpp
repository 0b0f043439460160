#include "list_paging.hpp"

#include <charconv>

#include "calrt/core/input_validation.hpp"

namespace calrt::server {

Result<ListPaging> list_paging(const ActionParams& params) {
    ListPaging paging;
    if (const auto since = params.get("since")) {
        auto time = validate_time("since", *since);
        if (!time) return time.error();
        paging.since = std::chrono::time_point_cast<std::chrono::system_clock::duration>(*time);
    }
    if (const auto limit = params.get("limit")) {
        std::size_t value = 0;
        const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
        if (ec != std::errc{} || end != limit->data() + limit->size() || value < 1 || value > store::kMaxListLimit) {
            return Error::make(ErrorKind::invalid_argument, "invalid_limit",
                               "limit must be a whole number from 1 to " + std::to_string(store::kMaxListLimit));
        }
        paging.limit = value;
    }
    if (const auto cursor = params.get("cursor")) paging.cursor = std::string(*cursor);
    return paging;
}

}  // namespace calrt::server

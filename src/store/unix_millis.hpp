#pragma once
// received_at is stored as milliseconds since the Unix epoch: sortable, compact, and what JSON
// clients read without parsing a date.

#include <chrono>
#include <cstdint>

namespace calrt::store {

inline std::int64_t to_unix_millis(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline std::chrono::system_clock::time_point from_unix_millis(std::int64_t ms) {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::milliseconds(ms)));
}

}  // namespace calrt::store

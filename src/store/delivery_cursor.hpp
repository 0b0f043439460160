#pragma once
// The opaque page cursor of ListQuery/ListPage: the last row id of a page, versioned and
// hex-encoded so that clients pass it back rather than compute with it.

#include <cstdint>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"

namespace calrt::store {

std::string encode_delivery_cursor(std::int64_t last_id);
// invalid_argument `invalid_cursor` for anything encode_delivery_cursor did not produce.
Result<std::int64_t> decode_delivery_cursor(std::string_view cursor);

}  // namespace calrt::store

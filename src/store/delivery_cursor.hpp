#pragma once
// The opaque page cursor of ListQuery/ListPage: the last row id of a page, versioned and
// hex-encoded so that clients pass it back rather than compute with it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/store/webhook_store.hpp"

namespace calrt::store {

std::string encode_delivery_cursor(std::int64_t last_id);
// invalid_argument `invalid_cursor` for anything encode_delivery_cursor did not produce.
Result<std::int64_t> decode_delivery_cursor(std::string_view cursor);

// Checks a list query the same way for every backend: the limit's range (invalid_limit) and the
// cursor (invalid_cursor). Returns the id below which the page starts, if any.
Result<std::optional<std::int64_t>> list_page_start(const ListQuery& query);
// The same for any listing pages by descending id (the self-service audit log).
Result<std::optional<std::int64_t>> list_page_start(std::size_t limit,
                                                    const std::optional<std::string>& cursor);

// Adds the next row of a listing read newest first with one row more than `limit` (`page` has
// `items`, each with an `id`, and `next_cursor`). The row past the limit is not listed: it only says
// another page exists, and sets next_cursor. False once the page is full: stop reading.
template <class Page, class ReadRow>
bool add_row_to_page(Page& page, std::size_t limit, ReadRow&& read_row) {
    if (page.items.size() == limit) {
        page.next_cursor = encode_delivery_cursor(page.items.back().id);
        return false;
    }
    page.items.push_back(read_row());
    return true;
}

}  // namespace calrt::store

#pragma once
// Calendly's keyset-style pagination as a client sees it: `count` (default 20, at most 100) and an
// opaque `page_token`; every list answers {"collection": [...], "pagination": {"count",
// "next_page", "previous_page", "next_page_token", "previous_page_token"}} where next_page is the
// full URL of the next page (null on the last one).

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "calrt/server/http_message.hpp"
#include "testing/fake_calendly/calendly_errors.hpp"

namespace calrt::testing::fake {

struct PageRequest {
    std::size_t count = 20;
    std::size_t offset = 0;
};

CalendlyResult<PageRequest> parse_page_request(const server::Request& request,
                                               std::size_t max_page_size);

// One page of `items` as a Calendly list body; links repeat the request's other query parameters.
nlohmann::json paginate(const nlohmann::json& items, const PageRequest& page,
                        const std::string& base_url, const server::Request& request);

// The same for `total` items of which only the page's are rendered, by `item(index)`: an
// organization's thousands of event types need not all be rendered for each page.
nlohmann::json paginate(std::size_t total, const std::function<nlohmann::json(std::size_t)>& item,
                        const PageRequest& page, const std::string& base_url,
                        const server::Request& request);

// Rewrites a list body (paginate()'s) so that paging does not progress: its next page is the page
// `request` asked for (the first page when it named none); with `empty`, the page has no items.
void stall_pagination(nlohmann::json& body, const std::string& base_url,
                      const server::Request& request, bool empty);

}  // namespace calrt::testing::fake

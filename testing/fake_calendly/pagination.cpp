#include "testing/fake_calendly/pagination.hpp"

#include <boost/url/url.hpp>
#include <charconv>
#include <cstdio>

namespace calrt::testing::fake {
namespace {

// Opaque to clients, as Calendly's tokens are; the fake only needs the offset back.
constexpr std::string_view kTokenPrefix = "pt";
constexpr std::size_t kTokenMask = 0x5A17C0DE;

std::string page_token(std::size_t offset) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*s%08zx", static_cast<int>(kTokenPrefix.size()),
                  kTokenPrefix.data(), offset ^ kTokenMask);
    return buffer;
}

std::optional<std::size_t> offset_of(std::string_view token) {
    if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::nullopt;
    token.remove_prefix(kTokenPrefix.size());
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value, 16);
    if (ec != std::errc() || end != token.data() + token.size() || token.empty())
        return std::nullopt;
    return value ^ kTokenMask;
}

std::string page_url(const std::string& base_url, const server::Request& request, std::size_t count,
                     const std::string& token) {
    boost::urls::url url(base_url);
    url.set_path(request.path);
    auto params = url.params();
    for (const auto& [key, value] : request.query) {
        if (key != "page_token" && key != "count") params.append({key, value});
    }
    params.append({"count", std::to_string(count)});
    params.append({"page_token", token});
    return std::string(url.buffer());
}

}  // namespace

CalendlyResult<PageRequest> parse_page_request(const server::Request& request,
                                               std::size_t max_page_size) {
    PageRequest page;
    if (const auto count = request.query_param("count")) {
        std::size_t value = 0;
        const auto [end, ec] = std::from_chars(count->data(), count->data() + count->size(), value);
        if (ec != std::errc() || end != count->data() + count->size() || count->empty()) {
            return invalid_parameter("count", "must be an integer");
        }
        if (value < 1) return invalid_parameter("count", "must be greater than or equal to 1");
        if (value > max_page_size) {
            return invalid_parameter(
                "count", "must be less than or equal to " + std::to_string(max_page_size));
        }
        page.count = value;
    }
    if (const auto token = request.query_param("page_token")) {
        const auto offset = offset_of(*token);
        if (!offset) return invalid_parameter("page_token", "is invalid");
        page.offset = *offset;
    }
    return page;
}

nlohmann::json paginate(const nlohmann::json& items, const PageRequest& page,
                        const std::string& base_url, const server::Request& request) {
    return paginate(
        items.size(), [&items](std::size_t i) { return items[i]; }, page, base_url, request);
}

nlohmann::json paginate(std::size_t total, const std::function<nlohmann::json(std::size_t)>& item,
                        const PageRequest& page, const std::string& base_url,
                        const server::Request& request) {
    const std::size_t first = std::min(page.offset, total);
    const std::size_t last = std::min(first + page.count, total);
    nlohmann::json collection = nlohmann::json::array();
    for (std::size_t i = first; i < last; ++i) collection.push_back(item(i));

    nlohmann::json pagination = {{"count", collection.size()},
                                 {"next_page", nullptr},
                                 {"previous_page", nullptr},
                                 {"next_page_token", nullptr},
                                 {"previous_page_token", nullptr}};
    if (last < total) {
        const std::string token = page_token(last);
        pagination["next_page_token"] = token;
        pagination["next_page"] = page_url(base_url, request, page.count, token);
    }
    if (first > 0) {
        const std::string token = page_token(first > page.count ? first - page.count : 0);
        pagination["previous_page_token"] = token;
        pagination["previous_page"] = page_url(base_url, request, page.count, token);
    }
    return {{"collection", std::move(collection)}, {"pagination", std::move(pagination)}};
}

void stall_pagination(nlohmann::json& body, const std::string& base_url,
                      const server::Request& request, bool empty) {
    if (!body.is_object() || !body.contains("pagination")) return;
    const auto requested = request.query_param("page_token");
    const std::string token = requested ? std::string(*requested) : page_token(0);
    std::size_t count = 20;
    if (const auto asked = request.query_param("count")) {
        (void)std::from_chars(asked->data(), asked->data() + asked->size(), count);
    }
    if (empty) {
        body["collection"] = nlohmann::json::array();
        body["pagination"]["count"] = 0;
    }
    body["pagination"]["next_page_token"] = token;
    body["pagination"]["next_page"] = page_url(base_url, request, count, token);
}

}  // namespace calrt::testing::fake

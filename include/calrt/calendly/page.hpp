#pragma once
// Whole Calendly response bodies: one resource ({"resource": {...}}), a page of a list
// ({"collection": [...], "pagination": {...}}), or a bare collection (the availability endpoints,
// which the reference says "do not support traditional keyset pagination").

#include "calrt/calendly/models.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace calrt::calendly {

// List pagination. Calendly pages hold at most 100 items ("count" <= 100); follow
// next_page_token until it is null. An empty token reads as null.
struct Pagination {
    std::int64_t count = 0;
    std::optional<std::string> next_page;  // full URL of the next page
    std::optional<std::string> previous_page;
    std::optional<std::string> next_page_token;  // pass as page_token
    std::optional<std::string> previous_page_token;

    bool has_next() const { return next_page_token.has_value(); }

    static Result<Pagination> parse(const nlohmann::json& object, std::string path = "pagination");
};

template <class Model>
struct Page {
    std::vector<Model> collection;
    Pagination pagination;
};

namespace detail {
Error missing_body_part(const char* what);
Result<const nlohmann::json*> collection_of(const nlohmann::json& body);
}  // namespace detail

// {"resource": {...}} -> Model.
template <class Model>
Result<Model> parse_resource(const nlohmann::json& body) {
    if (!body.is_object() || !body.contains("resource")) {
        return detail::missing_body_part("resource");
    }
    return Model::parse(body["resource"], "resource");
}

// {"collection": [...]} -> items; "pagination" is not required.
template <class Model>
Result<std::vector<Model>> parse_collection(const nlohmann::json& body) {
    auto collection = detail::collection_of(body);
    if (!collection) return collection.error();
    std::vector<Model> items;
    items.reserve((*collection)->size());
    for (std::size_t i = 0; i < (*collection)->size(); ++i) {
        auto item = Model::parse((**collection)[i], "collection[" + std::to_string(i) + "]");
        if (!item) return item.error();
        items.push_back(std::move(*item));
    }
    return items;
}

// {"collection": [...], "pagination": {...}} -> Page.
template <class Model>
Result<Page<Model>> parse_page(const nlohmann::json& body) {
    auto items = parse_collection<Model>(body);
    if (!items) return items.error();
    if (!body.contains("pagination")) return detail::missing_body_part("pagination");
    auto pagination = Pagination::parse(body["pagination"]);
    if (!pagination) return pagination.error();
    return Page<Model>{std::move(*items), std::move(*pagination)};
}

}  // namespace calrt::calendly

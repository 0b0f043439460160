#include "calrt/server/request_validation.hpp"

#include "calrt/calendly/resource_uri.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
ActionParams ActionParams::from_query(const std::vector<std::pair<std::string, std::string>>& query) {
    ActionParams params;
    params.values_ = query;
    return params;
}

Result<ActionParams> ActionParams::from_json_body(const nlohmann::json& body) {
    if (!body.is_object()) {
        return Error::make(ErrorKind::invalid_argument, "invalid_json", "the request body must be a JSON object");
    }
    ActionParams params;
    for (const auto& [key, value] : body.items()) {
        if (value.is_null()) continue;
        if ((value.is_object() || value.is_array()) && (key == "location" || key == "answers")) {
            params.structured_[key] = value;
            continue;
        }
        if (!value.is_string()) return invalid_field(key, "invalid_field", "must be a string");
        params.values_.emplace_back(key, value.get<std::string>());
    }
    return params;
}

std::optional<std::string_view> ActionParams::get(std::string_view name) const {
    for (const auto& [key, value] : values_) {
        if (key == name) return value;
    }
    return std::nullopt;
}

Result<std::string_view> ActionParams::required(std::string_view name) const {
    auto value = get(name);
    if (!value || value->empty()) return invalid_field(name, "missing_field", "is required");
    return *value;
}

Result<void> ActionParams::only(std::span<const std::string_view> allowed) const {
    std::vector<std::string_view> given;
    for (const auto& [key, value] : values_) given.push_back(key);
    for (const auto& [key, value] : structured_.items()) given.push_back(key);
    for (const auto key : given) {
        if (key == "action") continue;
        bool known = false;
        for (auto a : allowed) known = known || a == key;
        if (!known) {
            std::string expected;
            for (auto a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
            return invalid_field(key, "unknown_field",
                                 "is not a field of this action" +
                                     (expected.empty() ? std::string(" (it takes none)") : "; expected: " + expected));
        }
    }
    return {};
}

Result<std::string> validate_resource_id(std::string_view field, std::string_view value, std::string_view collection) {
    if (calendly::is_calendly_uuid(value)) return std::string(value);
    if (calendly::looks_like_calendly_uri(value, collection)) {
        if (auto uuid = calendly::uuid_from_uri(value)) return *uuid;
    }
    return invalid_field(field, "invalid_id",
                         "must be a Calendly UUID or a " + std::string(collection) +
                             " URI like https://api.calendly.com/" + std::string(collection) + "/<uuid>");
}

}  // namespace calrt::server

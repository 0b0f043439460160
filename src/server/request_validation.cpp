#include "calrt/server/request_validation.hpp"

#include "calrt/calendly/resource_uri.hpp"

#include <nlohmann/json.hpp>

namespace calrt::server {
namespace {

Error invalid(std::string_view field, std::string code, std::string message) {
    Error error = Error::make(ErrorKind::invalid_argument, std::move(code), std::string(field) + ": " + message);
    error.details.push_back({std::string(field), std::move(message)});
    return error;
}

bool has_control_characters(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    }
    return false;
}

}  // namespace

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
        if (!value.is_string()) return invalid(key, "invalid_field", "must be a string");
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
    if (!value || value->empty()) return invalid(name, "missing_field", "is required");
    return *value;
}

Result<void> ActionParams::only(std::span<const std::string_view> allowed) const {
    for (const auto& [key, value] : values_) {
        if (key == "action") continue;
        bool known = false;
        for (auto a : allowed) known = known || a == key;
        if (!known) {
            std::string expected;
            for (auto a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
            return invalid(key, "unknown_field",
                           "is not a field of this action" + (expected.empty() ? std::string(" (it takes none)")
                                                                               : "; expected: " + expected));
        }
    }
    return {};
}

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t width = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
        if (width == 0 || i + width > text.size()) return std::nullopt;
        for (std::size_t k = 1; k < width; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return std::nullopt;
        }
        i += width;
        ++count;
    }
    return count;
}

Result<std::string> validate_text(std::string_view field, std::string_view value, std::size_t max_characters) {
    const auto length = utf8_length(value);
    if (!length) return invalid(field, "invalid_field", "must be valid UTF-8 text");
    if (*length > max_characters) {
        return invalid(field, "invalid_field", "must be at most " + std::to_string(max_characters) + " characters");
    }
    return std::string(value);
}

Result<std::string> validate_name(std::string_view field, std::string_view value) {
    const auto length = utf8_length(value);
    if (!length) return invalid(field, "invalid_name", "must be valid UTF-8 text");
    if (*length < 1 || *length > 200) return invalid(field, "invalid_name", "must be 1 to 200 characters");
    if (has_control_characters(value)) return invalid(field, "invalid_name", "must not contain control characters");
    return std::string(value);
}

Result<std::string> validate_email(std::string_view field, std::string_view value) {
    // A practical subset of RFC 5321: local@domain, no spaces or controls, a dotted domain.
    const auto at = value.rfind('@');
    const bool shaped = at != std::string_view::npos && at > 0 && at <= 64 && value.size() <= 254 &&
                        value.find('@') == at && !has_control_characters(value) &&
                        value.find_first_of(" \t\"(),:;<>[\\]") == std::string_view::npos;
    const std::string_view domain = shaped ? value.substr(at + 1) : std::string_view{};
    const bool domain_ok = domain.size() >= 3 && domain.find('.') != std::string_view::npos &&
                           domain.front() != '.' && domain.back() != '.' && domain.find("..") == std::string_view::npos;
    if (!shaped || !domain_ok) {
        return invalid(field, "invalid_email", "must be an email address like name@example.com");
    }
    return std::string(value);
}

Result<Timestamp> validate_time(std::string_view field, std::string_view value) {
    auto parsed = parse_rfc3339(value);
    if (!parsed) {
        return invalid(field, "invalid_time",
                       "must be an RFC 3339 time with an offset, like 2026-05-01T09:30:00Z (" +
                           parsed.error().message + ")");
    }
    return *parsed;
}

Result<TimeZone> validate_time_zone(std::string_view field, std::string_view value, TimeZoneCache& zones) {
    auto zone = zones.get(value);
    if (!zone) return invalid(field, "invalid_timezone", "must be an IANA time zone name like Europe/Berlin");
    return *zone;
}

Result<std::string> validate_resource_id(std::string_view field, std::string_view value, std::string_view collection) {
    if (calendly::is_calendly_uuid(value)) return std::string(value);
    if (calendly::looks_like_calendly_uri(value, collection)) {
        if (auto uuid = calendly::uuid_from_uri(value)) return *uuid;
    }
    return invalid(field, "invalid_id",
                   "must be a Calendly UUID or a " + std::string(collection) + " URI like https://api.calendly.com/" +
                       std::string(collection) + "/<uuid>");
}

}  // namespace calrt::server

#include "calrt/core/input_validation.hpp"

#include "calrt/core/utf8.hpp"

namespace calrt {
namespace {

bool has_control_characters(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    }
    return false;
}

}  // namespace

Error invalid_field(std::string_view field, std::string code, std::string problem) {
    Error error = Error::make(ErrorKind::invalid_argument, std::move(code),
                              std::string(field) + ": " + problem);
    error.details.push_back({std::string(field), std::move(problem)});
    return error;
}

std::optional<std::size_t> utf8_length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const std::size_t width = utf8_sequence_length(text, i);
        if (width == 0) return std::nullopt;
        i += width;
    }
    return count;
}

Result<std::string> validate_text(std::string_view field, std::string_view value,
                                  std::size_t max_characters) {
    const auto length = utf8_length(value);
    if (!length) return invalid_field(field, "invalid_field", "must be valid UTF-8 text");
    if (*length > max_characters) {
        return invalid_field(field, "invalid_field",
                             "must be at most " + std::to_string(max_characters) + " characters");
    }
    return std::string(value);
}

Result<std::string> validate_name(std::string_view field, std::string_view value) {
    const auto length = utf8_length(value);
    if (!length) return invalid_field(field, "invalid_name", "must be valid UTF-8 text");
    if (*length < 1 || *length > 200)
        return invalid_field(field, "invalid_name", "must be 1 to 200 characters");
    if (has_control_characters(value)) {
        return invalid_field(field, "invalid_name", "must not contain control characters");
    }
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
                           domain.front() != '.' && domain.back() != '.' &&
                           domain.find("..") == std::string_view::npos;
    if (!shaped || !domain_ok) {
        return invalid_field(field, "invalid_email",
                             "must be an email address like name@example.com");
    }
    return std::string(value);
}

Result<Timestamp> validate_time(std::string_view field, std::string_view value) {
    auto parsed = parse_rfc3339(value);
    if (!parsed) {
        return invalid_field(
            field, "invalid_time",
            "must be an RFC 3339 time with an offset, like 2026-05-01T09:30:00Z (" +
                parsed.error().message + ")");
    }
    return *parsed;
}

Result<TimeZone> validate_time_zone(std::string_view field, std::string_view value,
                                    TimeZoneCache& zones) {
    auto zone = zones.get(value);
    if (!zone)
        return invalid_field(field, "invalid_timezone",
                             "must be an IANA time zone name like Europe/Berlin");
    return *zone;
}

}  // namespace calrt

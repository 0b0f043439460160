#pragma once
// Checks a tool call's arguments against the tool's JSON schema before the handler sees them, so a
// handler can rely on required fields, types and formats. The model writes the arguments, so a
// mismatch is an expected failure that goes back to it as an error result (never a crash, never a
// silent default).
//
// The JSON-Schema subset our tools use: type (object, string, integer, number, boolean, array),
// properties, required, additionalProperties: false, enum, minLength, maxLength, minimum, maximum,
// items, and format "email", "date-time" (RFC 3339 with an offset) and "date" (YYYY-MM-DD). Other
// keywords are ignored.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace calrt::tools {

struct ArgumentProblem {
    std::string path;  // where: "email", "invitee.timezone", "" for the arguments object itself
    std::string
        message;  // what is wrong, for the model to fix: "is required", "must be an email address"

    // "email: must be an email address"
    std::string describe() const;
};

// The first way `arguments` breaks `schema`, or nullopt when it fits.
std::optional<ArgumentProblem> validate_arguments(const nlohmann::json& schema,
                                                  const nlohmann::json& arguments);

// The string formats, usable on their own (e.g. by tools parsing optional fields).
bool is_email_address(std::string_view text);
bool is_rfc3339_date_time(std::string_view text);
bool is_calendar_date(std::string_view text);

}  // namespace calrt::tools

#pragma once
// Reading a tool call's arguments. The registry checks them against the tool's schema first, but
// the handlers are also called directly (tests, the sandbox), so a wrong type here is an error
// result too, never an exception.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"

namespace calrt::tools {

// The string argument `name`, trimmed of surrounding whitespace; nullopt when it is absent, null or
// blank (models send "" for optional arguments they mean to leave out).
// Errors: invalid_argument / "invalid_arguments" when `arguments` is not an object,
//         "invalid_field" when the argument is not a string.
Result<std::optional<std::string>> optional_string_argument(const nlohmann::json& arguments,
                                                            std::string_view name);

// As above, but absent or blank is invalid_argument / "missing_field".
Result<std::string> required_string_argument(const nlohmann::json& arguments,
                                             std::string_view name);

// The schemas of the person's name and email, the same wherever a tool asks for them.
nlohmann::json person_name_schema();
nlohmann::json person_email_schema();

// The error result the model sees: tool_error(error.code, error.message).
nlohmann::json error_result(const Error& error);

}  // namespace calrt::tools

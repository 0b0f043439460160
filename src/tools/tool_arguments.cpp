#include "tool_arguments.hpp"

#include "calrt/core/text.hpp"

#include "calrt/core/input_validation.hpp"
#include "calrt/tools/tool_registry.hpp"

namespace calrt::tools {
namespace {

}  // namespace

Result<std::optional<std::string>> optional_string_argument(const nlohmann::json& arguments,
                                                            std::string_view name) {
    if (!arguments.is_object()) {
        return Error::make(ErrorKind::invalid_argument, "invalid_arguments",
                           "the arguments must be a JSON object");
    }
    const auto found = arguments.find(name);
    if (found == arguments.end() || found->is_null()) return std::optional<std::string>();
    if (!found->is_string()) return invalid_field(name, "invalid_field", "must be a string");
    const std::string_view text = trim(found->get_ref<const std::string&>(), " \t\r\n");
    if (text.empty()) return std::optional<std::string>();
    return std::optional<std::string>(std::string(text));
}

Result<std::string> required_string_argument(const nlohmann::json& arguments,
                                             std::string_view name) {
    auto value = optional_string_argument(arguments, name);
    if (!value) return value.error();
    if (!*value) return invalid_field(name, "missing_field", "is required");
    return std::move(**value);
}

nlohmann::json error_result(const Error& error) { return tool_error(error.code, error.message); }

nlohmann::json person_name_schema() {
    return {{"type", "string"},
            {"minLength", 1},
            {"maxLength", 200},
            {"description", "The person's full name."}};
}

nlohmann::json person_email_schema() {
    return {{"type", "string"},
            {"format", "email"},
            {"maxLength", 254},
            {"description", "The person's email address; Calendly sends the confirmation there."}};
}

}  // namespace calrt::tools

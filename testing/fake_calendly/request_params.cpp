#include "testing/fake_calendly/request_params.hpp"

namespace calrt::testing::fake {

CalendlyResult<TimePoint> required_time(const server::Request& request, std::string_view name) {
    const auto value = request.query_param(name);
    if (!value || value->empty()) return invalid_parameter(std::string(name), "is required");
    const auto time = parse_rfc3339(*value);
    if (!time)
        return invalid_parameter(std::string(name), "must be a valid ISO 8601 date-time in UTC");
    return *time;
}

CalendlyResult<std::optional<TimePoint>> optional_time(const server::Request& request,
                                                       std::string_view name) {
    if (!request.query_param(name)) return std::optional<TimePoint>{};
    auto time = required_time(request, name);
    if (!time) return time.error();
    return std::optional<TimePoint>{*time};
}

CalendlyResult<TimeRange> availability_range(const FakeState& state, const server::Request& request,
                                             bool future_only, std::chrono::hours limit) {
    auto start = required_time(request, "start_time");
    if (!start) return start.error();
    auto end = required_time(request, "end_time");
    if (!end) return end.error();
    if (future_only && *start < state.now())
        return invalid_parameter("start_time", "must be in the future");
    if (*end <= *start) return invalid_parameter("end_time", "must be after start_time");
    if (*end - *start > limit) {
        const auto limit_days = std::chrono::duration_cast<std::chrono::hours>(limit).count() / 24;
        return invalid_parameter("end_time", "date range can be no greater than " +
                                                 std::to_string(limit_days) + " days");
    }
    return TimeRange{*start, *end};
}

CalendlyResult<bool> sort_descending(const server::Request& request, std::string_view field,
                                     bool default_descending) {
    const auto sort = request.query_param("sort");
    if (!sort) return default_descending;
    const std::string name(field);
    if (*sort == name || *sort == name + ":asc") return false;
    if (*sort == name + ":desc") return true;
    return invalid_parameter("sort", "must be " + name + ":asc or " + name + ":desc");
}

CalendlyResult<nlohmann::json> json_object_body(const server::Request& request) {
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return invalid_parameter("body", "must be a JSON object");
    return body;
}

CalendlyResult<std::optional<std::string>> string_field(const nlohmann::json& object,
                                                        std::string_view key,
                                                        std::string_view parameter_name) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return invalid_parameter(std::string(parameter_name), "must be a string");
    return std::optional<std::string>{it->get<std::string>()};
}

server::Response to_response(const CalendlyResult<server::Response>& result) {
    return result ? *result : calendly_error_response(result.error());
}

}  // namespace calrt::testing::fake

#pragma once
// Reading and validating a Calendly request's parameters, with the Invalid Argument details
// Calendly answers when one is missing or malformed.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "calrt/server/http_message.hpp"
#include "testing/fake_calendly/fake_state.hpp"

namespace calrt::testing::fake {

struct TimeRange {
    TimePoint start;
    TimePoint end;
};

// A required RFC 3339 query parameter.
CalendlyResult<TimePoint> required_time(const server::Request& request, std::string_view name);
// An optional one; nullopt when absent.
CalendlyResult<std::optional<TimePoint>> optional_time(const server::Request& request,
                                                       std::string_view name);

// start_time and end_time of the availability endpoints: both required, end after start, at most
// `limit` apart and, when `future_only`, start not in the past.
CalendlyResult<TimeRange> availability_range(const FakeState& state, const server::Request& request,
                                             bool future_only, std::chrono::hours limit);

// "field:asc" / "field:desc" / "field" for the one field a list sorts by; true when descending.
CalendlyResult<bool> sort_descending(const server::Request& request, std::string_view field,
                                     bool default_descending = false);

// A JSON object body.
CalendlyResult<nlohmann::json> json_object_body(const server::Request& request);

// An optional string field of a JSON object; nullopt when absent or null; an error for other types.
CalendlyResult<std::optional<std::string>> string_field(const nlohmann::json& object,
                                                        std::string_view key,
                                                        std::string_view parameter_name);

server::Response to_response(const CalendlyResult<server::Response>& result);

}  // namespace calrt::testing::fake

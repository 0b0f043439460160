#pragma once
// Calendly's error bodies, {"title","message","details":[{"parameter","message"}]}, with the titles
// and messages its API reference lists for each status.

#include <boost/system/result.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "calrt/server/http_message.hpp"
#include "testing/fake_calendly/fault_plan.hpp"

namespace calrt::testing::fake {

struct CalendlyError {
    // Not an aggregate: boost::system::result must not see a bool or a JSON value as an error.
    CalendlyError() = default;
    CalendlyError(unsigned error_status, std::string error_title, std::string error_message,
                  std::vector<CalendlyErrorDetail> error_details = {})
        : status(error_status),
          title(std::move(error_title)),
          message(std::move(error_message)),
          details(std::move(error_details)) {}

    unsigned status = 500;
    std::string title;
    std::string message;
    std::vector<CalendlyErrorDetail> details;
};

template <class T>
using CalendlyResult = boost::system::result<T, CalendlyError>;

// boost::system::result finds this by ADL when value() is called on an error (a bug in the fake).
[[noreturn]] void throw_exception_from_error(const CalendlyError& error,
                                             const boost::source_location& loc);

// 400 "Invalid Argument" / "The supplied parameters are invalid." with the given details.
CalendlyError invalid_argument(std::vector<CalendlyErrorDetail> details);
CalendlyError invalid_parameter(std::string parameter, std::string message);
CalendlyError unauthenticated();
CalendlyError permission_denied(
    std::string message = "You do not have permission to access this resource.");
CalendlyError resource_not_found();
CalendlyError already_exists(std::string message);
// The body Calendly sends with `status` when the fake answers it as an injected fault.
CalendlyError error_for_status(unsigned status, std::vector<CalendlyErrorDetail> details = {});

server::Response calendly_error_response(const CalendlyError& error);
server::Response calendly_json_response(unsigned status, const nlohmann::json& body);

}  // namespace calrt::testing::fake

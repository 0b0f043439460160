#include "testing/fake_calendly/calendly_errors.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "calrt/server/responses.hpp"

namespace calrt::testing::fake {

void throw_exception_from_error(const CalendlyError& error, const boost::source_location&) {
    throw std::logic_error("unchecked Calendly error: " + error.title + ": " + error.message);
}

CalendlyError invalid_argument(std::vector<CalendlyErrorDetail> details) {
    return {400, "Invalid Argument", "The supplied parameters are invalid.", std::move(details)};
}

CalendlyError invalid_parameter(std::string parameter, std::string message) {
    return invalid_argument({{std::move(parameter), std::move(message)}});
}

CalendlyError unauthenticated() {
    return {401, "Unauthenticated", "The access token is invalid", {}};
}

CalendlyError permission_denied(std::string message) {
    return {403, "Permission Denied", std::move(message), {}};
}

CalendlyError resource_not_found() {
    return {404, "Resource Not Found", "The server could not find the requested resource.", {}};
}

CalendlyError already_exists(std::string message) {
    return {409, "Already Exists", std::move(message), {}};
}

CalendlyError error_for_status(unsigned status, std::vector<CalendlyErrorDetail> details) {
    switch (status) {
        case 400:
            return invalid_argument(std::move(details));
        case 401:
            return unauthenticated();
        case 403:
            return permission_denied();
        case 404:
            return resource_not_found();
        case 409:
            return already_exists("The resource already exists");
        case 429:
            return {429,
                    "Too Many Requests",
                    "You have exceeded the rate limit. Please wait and try again.",
                    {}};
        case 500:
            return {500,
                    "Internal Server Error",
                    "The server encountered an unexpected condition that prevented it from "
                    "fulfilling the request.",
                    {}};
        case 502:
            return {502,
                    "Bad Gateway",
                    "The server received an invalid response from an upstream server.",
                    {}};
        case 503:
            return {503,
                    "Service Unavailable",
                    "The server is temporarily unable to handle the request.",
                    {}};
        case 504:
            return {504, "Gateway Timeout", "The server did not answer in time.", {}};
        default:
            return {status,
                    "Error",
                    "The request failed with HTTP status " + std::to_string(status) + ".",
                    {}};
    }
}

server::Response calendly_error_response(const CalendlyError& error) {
    nlohmann::json body = {{"title", error.title}, {"message", error.message}};
    if (!error.details.empty()) {
        auto& details = body["details"] = nlohmann::json::array();
        for (const auto& detail : error.details) {
            details.push_back({{"parameter", detail.parameter}, {"message", detail.message}});
        }
    }
    return server::json_response(error.status, body);
}

server::Response calendly_json_response(unsigned status, const nlohmann::json& body) {
    return server::json_response(status, body);
}

}  // namespace calrt::testing::fake

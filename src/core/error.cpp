#include "calrt/core/error.hpp"

namespace calrt {

unsigned http_status_of(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::invalid_argument: return 400;
        case ErrorKind::unauthenticated: return 401;
        case ErrorKind::permission_denied: return 403;
        case ErrorKind::not_found: return 404;
        case ErrorKind::method_not_allowed: return 405;
        case ErrorKind::conflict: return 409;
        case ErrorKind::payload_too_large: return 413;
        case ErrorKind::unsupported_media_type: return 415;
        case ErrorKind::rate_limited: return 429;
        case ErrorKind::header_too_large: return 431;
        case ErrorKind::internal: return 500;
        case ErrorKind::not_implemented: return 501;
        case ErrorKind::upstream_failed: return 502;
        case ErrorKind::not_configured: return 503;
        case ErrorKind::unavailable: return 503;
        case ErrorKind::upstream_timeout: return 504;
    }
    return 500;
}

std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::invalid_argument: return "invalid_argument";
        case ErrorKind::unauthenticated: return "unauthenticated";
        case ErrorKind::permission_denied: return "permission_denied";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::method_not_allowed: return "method_not_allowed";
        case ErrorKind::conflict: return "conflict";
        case ErrorKind::payload_too_large: return "payload_too_large";
        case ErrorKind::unsupported_media_type: return "unsupported_media_type";
        case ErrorKind::rate_limited: return "rate_limited";
        case ErrorKind::header_too_large: return "header_too_large";
        case ErrorKind::internal: return "internal";
        case ErrorKind::not_implemented: return "not_implemented";
        case ErrorKind::upstream_failed: return "upstream_failed";
        case ErrorKind::not_configured: return "not_configured";
        case ErrorKind::unavailable: return "unavailable";
        case ErrorKind::upstream_timeout: return "upstream_timeout";
    }
    return "internal";
}

ErrorException::ErrorException(Error error)
    : error_(std::move(error)), what_(error_.code + ": " + error_.message) {}

void throw_exception_from_error(const Error& error, const boost::source_location&) {
    throw ErrorException(error);
}

}  // namespace calrt

#pragma once
// Expected failures are values: an Error with a kind (which decides the HTTP status), a snake_case code
// a client can switch on, and a message a person can act on. Exceptions are for bugs and start-up
// misconfiguration only (STYLE.md, "Errors").

#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt {

enum class ErrorKind {
    invalid_argument,        // 400
    unauthenticated,         // 401
    permission_denied,       // 403
    not_found,               // 404
    method_not_allowed,      // 405
    conflict,                // 409
    payload_too_large,       // 413
    unsupported_media_type,  // 415
    rate_limited,            // 429
    header_too_large,        // 431
    internal,                // 500
    not_implemented,         // 501: a method the server does not know
    upstream_failed,         // 502: the upstream (Calendly, OpenAI) answered with an error
    not_configured,          // 503: a required setting is missing
    unavailable,             // 503: temporarily unable (shutting down, overloaded)
    upstream_timeout,        // 504
};

// One problem with one input parameter, e.g. Calendly's `details` entries
// ({"parameter": "email", "message": "is invalid"}) passed on to our own callers.
struct ErrorDetail {
    std::string parameter;  // may be empty when the problem is not tied to one parameter
    std::string message;

    friend bool operator==(const ErrorDetail&, const ErrorDetail&) = default;
};

struct Error {
    ErrorKind kind = ErrorKind::internal;
    std::string code;     // snake_case, stable: what clients switch on
    std::string message;  // human text: what was wrong and what to do
    // Set with rate_limited/unavailable: how long the client should wait before trying again.
    std::optional<std::chrono::seconds> retry_after;
    // Per-parameter problems; rendered as "details" in the error body when not empty.
    std::vector<ErrorDetail> details{};

    static Error make(ErrorKind kind, std::string code, std::string message) {
        return Error{kind, std::move(code), std::move(message), std::nullopt};
    }
};

// The HTTP status an error kind maps to; the only place that mapping lives.
unsigned http_status_of(ErrorKind kind) noexcept;
std::string_view to_string(ErrorKind kind) noexcept;

// Thrown only by Result::value() on an error (a bug in the caller that did not check).
class ErrorException : public std::exception {
public:
    explicit ErrorException(Error error);
    const char* what() const noexcept override { return what_.c_str(); }
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
    std::string what_;
};

// boost::system::result finds this by ADL when value() is called on an error.
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace calrt

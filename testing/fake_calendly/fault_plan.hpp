#pragma once
// What the fake does instead of answering normally, for tests of a client's error handling: the
// next `times` requests whose path starts with a prefix answer an error status in Calendly's
// format, or hang (no answer until the client gives up).

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace calrt::testing {

// One entry of a Calendly error's `details`: {"parameter": "count", "message": "..."}.
struct CalendlyErrorDetail {
    std::string parameter;
    std::string message;
};

struct FaultPlan {
    enum class Action { respond, hang };

    Action action = Action::respond;
    unsigned status = 500;  // respond: 400, 401, 403, 404, 429, 500, 503, ...
    std::size_t times = 1;  // how many matching requests the plan answers
    std::string method;     // only requests with this method ("GET", "POST"); empty: any

    // 429: the X-RateLimit-Reset seconds (and Retry-After, when sent).
    std::chrono::seconds reset_after{1};
    // 429: Calendly documents X-RateLimit-Reset; Retry-After is sent too unless this is false.
    bool send_retry_after = true;
    // 400: the details of the Invalid Argument error.
    std::vector<CalendlyErrorDetail> details;
    // hang: how long the request is held before the fake gives up and answers 504 (a client under
    // test has long given up by then).
    std::chrono::milliseconds hang_for{std::chrono::minutes(5)};

    static FaultPlan error(unsigned status, std::size_t times = 1);
    static FaultPlan rate_limited(std::chrono::seconds reset_after, std::size_t times = 1);
    static FaultPlan bad_request(std::vector<CalendlyErrorDetail> details, std::size_t times = 1);
    static FaultPlan hang(std::size_t times = 1);
};

}  // namespace calrt::testing

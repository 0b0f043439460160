#pragma once
// What the fake does instead of answering normally, for tests of a client's error handling: the
// next `times` requests whose path starts with a prefix answer an error status in Calendly's
// format, hang (no answer until the client gives up), answer late, do the work and then drop the
// connection without answering, or page a list without making progress.

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
    enum class Action {
        respond,  // answer `status` in Calendly's error format
        hang,     // hold the request for `hang_for`, then answer 504
        delay,    // hold the request for `delay_for`, then answer it normally
        // Process the request (a POST /invitees books) and close the connection instead of
        // answering, as a server or load balancer restarting at the wrong moment does. Needs
        // FakeCalendlyOptions::connection_faults.
        drop_after_processing,
        // Answer a list request normally, except that its next_page_token leads back to the page
        // just served (or to the first page); with `empty_page`, also without any items.
        stuck_pagination,
    };

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
    // delay: how long the request is held before it is answered.
    std::chrono::milliseconds delay_for{0};
    // stuck_pagination: the page has no items.
    bool empty_page = false;

    static FaultPlan error(unsigned status, std::size_t times = 1);
    static FaultPlan rate_limited(std::chrono::seconds reset_after, std::size_t times = 1);
    static FaultPlan bad_request(std::vector<CalendlyErrorDetail> details, std::size_t times = 1);
    static FaultPlan hang(std::size_t times = 1);
    static FaultPlan delayed(std::chrono::milliseconds delay_for, std::size_t times = 1);
    static FaultPlan drop_after_processing(std::size_t times = 1);
    static FaultPlan stuck_pagination(bool empty_page, std::size_t times = 1);
};

}  // namespace calrt::testing

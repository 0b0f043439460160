#pragma once
// How a failed Calendly call becomes the calrt::Error our own callers see.
//
// The service calls Calendly with the HOST's credentials, so Calendly's 401/403 are the host's
// configuration problem, never the caller's: they become 502, not 401. What Calendly said is kept:
// the message names the upstream status, Calendly's title and message, and Calendly's `details`
// ({"parameter","message"} entries) are copied into Error::details, which error_response renders.
// Messages reach anonymous callers, so they never name a setting or the Calendly host: what the
// operator should check goes to the log (operator_hint), and so does the transport's own message.
//
//   Calendly answer               kind (our status)        code
//   401                           upstream_failed (502)    calendly_auth_failed
//   403 "paid Calendly plan/account" not_configured (503)    calendly_plan_required
//   403 "Event is already canceled", "Event in the past"
//                                 conflict (409)           event_not_cancelable
//   other 403 (permission, scope) upstream_failed (502)    calendly_permission_denied; Calendly's
//                                 `required_scopes` named in the message and as details
//                                 {"parameter": "required_scopes", "message": <scope>}
//   404                           not_found (404)          calendly_not_found
//   429                           rate_limited (429)       calendly_rate_limited, retry_after set
//   400, 422, other 4xx           upstream_failed (502)    calendly_rejected (with details)
//   5xx                           upstream_failed (502)    calendly_unavailable
//   anything else                 upstream_failed (502)    calendly_unexpected_status
//
//   net::HttpClient failure       kind (our status)        code
//   timeout                       upstream_timeout (504)   calendly_timeout
//   connect_failed, connection_lost  upstream_failed (502) calendly_unreachable
//   tls_verify_failed             upstream_failed (502)    calendly_tls_failed
//   bad_response                  upstream_failed (502)    bad_calendly_response
//   invalid_url                   not_configured (503)     calendly_misconfigured
//   anything else                 upstream_failed (502)    calendly_unreachable
//
//   Refused before sending        kind (our status)        code
//   no free call slot before the deadline (CALENDLY_MAX_CONCURRENT_CALLS)
//                                 unavailable (503)        calendly_busy, retry_after set
//   the rate limit window resets after the deadline
//                                 rate_limited (429)       calendly_rate_limited, retry_after set
//   the client was stopped (shutdown)
//                                 unavailable (503)        shutting_down, retry_after set
//
// A 2xx body the models cannot read is upstream_failed / "bad_calendly_response" (models.hpp).

#include "calrt/calendly/rate_limit.hpp"
#include "calrt/core/error.hpp"

#include <chrono>
#include <string_view>

namespace calrt::calendly {

// `status` and `body` of a Calendly response that was not a success (not 2xx). The body is read
// as Calendly's error object when it is one; otherwise the message says what arrived.
Error error_from_calendly_response(unsigned status, std::string_view body,
                                   const RateLimitHeaders& rate_limit = {});

// An error returned by net::HttpClient::send (see the codes in net/http_client.hpp).
Error error_from_transport_failure(const Error& transport_error);

// Every call slot stayed taken until the call's deadline.
Error calendly_busy();
// Calendly's rate limit window resets only after `wait`, which is past the call's deadline.
Error calendly_rate_limit_used_up(std::chrono::seconds wait);
// CalendlyClient::stop() was called: the service is shutting down.
Error client_stopped();

// True when `error`, from a call that writes (a booking, a link), means Calendly made nothing:
// it refused the request, or the request was never sent. A 5xx, a timeout or a lost connection
// may have written, so they are not.
bool nothing_was_written(const Error& error) noexcept;

// What the operator should check for `error`, for the log line (never for callers); empty when
// nothing in the configuration is suspect.
std::string_view operator_hint(const Error& error);

}  // namespace calrt::calendly

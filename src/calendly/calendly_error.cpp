#include "calrt/calendly/calendly_error.hpp"

#include "calrt/calendly/models.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace calrt::calendly {
namespace {

// Calendly's texts are short; these bounds only keep a misbehaving upstream from filling our
// error bodies.
constexpr std::size_t max_quoted_bytes = 300;
constexpr std::size_t max_details = 20;

// Cuts at a UTF-8 character boundary so the text stays valid UTF-8.
std::string clip(std::string_view text) {
    if (text.size() <= max_quoted_bytes) return std::string(text);
    std::size_t end = max_quoted_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end)) + "...";
}

std::optional<ErrorResponse> to_optional(Result<ErrorResponse> result) {
    if (!result) return std::nullopt;
    return std::move(*result);
}

struct WhatCalendlySaid {
    std::string summary;  // "HTTP 400 Invalid Argument: The supplied parameters are invalid."
    std::string title;
    std::string message;
    std::vector<ErrorDetail> details;
    std::vector<std::string> required_scopes;  // an insufficient-scope 403's `required_scopes`
};

// A 403's `required_scopes` ([string]), as the insufficient-scope answer carries it (research
// note in /work/research/calendly.md §8: secondary source; the doctor command reports them).
std::vector<std::string> read_required_scopes(const nlohmann::json& json) {
    std::vector<std::string> scopes;
    const auto it = json.find("required_scopes");
    if (it == json.end() || !it->is_array()) return scopes;
    for (const auto& scope : *it) {
        if (scope.is_string() && scopes.size() < max_details) scopes.push_back(clip(scope.get<std::string>()));
    }
    return scopes;
}

WhatCalendlySaid read_error_body(unsigned status, std::string_view body) {
    WhatCalendlySaid said;
    said.summary = "HTTP " + std::to_string(status);
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    std::optional<ErrorResponse> response;
    if (!json.is_discarded()) response = to_optional(ErrorResponse::parse(json));
    if (!response) {
        if (!body.empty()) said.summary += ", with a body that is not Calendly's error format";
        return said;
    }
    said.title = response->title;
    said.message = response->message;
    said.required_scopes = read_required_scopes(json);
    said.summary += " " + clip(response->title) + ": " + clip(response->message);
    for (const ErrorDetail& detail : response->details) {
        if (said.details.size() == max_details) break;
        said.details.push_back({clip(detail.parameter), clip(detail.message)});
    }
    return said;
}

Error make(ErrorKind kind, const char* code, std::string message) {
    return Error::make(kind, code, std::move(message));
}

bool mentions(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// The plan refusals Calendly has used for the Scheduling API: "The Scheduling API is only available
// on paid Calendly plans. Upgrade your plan to access this feature." (POST /invitees' 403 before
// release note 2026-11-03, secondary: /work/research/calendly.md §1) and, since
// developer.calendly.com/release-notes/2026/11/3, "Please upgrade to a paid Calendly account."
// (the 403 Permission Denied message "for a plan that is not allowed").
bool is_plan_refusal(const WhatCalendlySaid& said) {
    return mentions(said.message, "paid Calendly plan") || mentions(said.message, "paid Calendly account") ||
           mentions(said.message, "Upgrade your plan");
}

// POST /scheduled_events/{uuid}/cancellation's 403 messages (title "Permission Denied"): "Event
// is already canceled" and "Event in the past" (Calendly's OpenAPI as generated into
// speakeasy-sdks/calendly-go-sdk, PostScheduledEventsUUIDCancellationJSON403ApplicationJSON).
bool is_not_cancelable(const WhatCalendlySaid& said) {
    return said.message == "Event is already canceled" || said.message == "Event in the past";
}

// Calendly's 403s mean different things (developer.calendly.com reference pages: "Permission
// denied or insufficient scope"); each gets its own code.
Error forbidden(WhatCalendlySaid said) {
    if (is_plan_refusal(said)) {
        return make(ErrorKind::not_configured, "calendly_plan_required",
                    "The host's Calendly plan does not allow this through the API (" + said.summary + ").");
    }
    if (is_not_cancelable(said)) {
        return make(ErrorKind::conflict, "event_not_cancelable",
                    said.message == "Event in the past"
                        ? "The meeting is in the past and can no longer be canceled (" + said.summary + ")."
                        : "The meeting is already canceled (" + said.summary + ").");
    }
    std::string message = "Calendly refused this action with the host's credentials (" + said.summary + ")";
    Error error = make(ErrorKind::upstream_failed, "calendly_permission_denied", "");
    if (!said.required_scopes.empty()) {
        message += "; the host's token lacks the scope";
        for (std::size_t i = 0; i < said.required_scopes.size(); ++i) {
            message += (i == 0 ? " " : ", ") + said.required_scopes[i];
            error.details.push_back({"required_scopes", said.required_scopes[i]});
        }
    }
    error.message = message + ".";
    return error;
}

}  // namespace

Error error_from_calendly_response(unsigned status, std::string_view body,
                                   const RateLimitHeaders& rate_limit) {
    WhatCalendlySaid said = read_error_body(status, body);
    if (status == 401) {
        return make(ErrorKind::upstream_failed, "calendly_auth_failed",
                    "Calendly refused the host's credentials (" + said.summary +
                        "); the service cannot use Calendly until its operator fixes them.");
    }
    if (status == 403) return forbidden(std::move(said));
    if (status == 404) {
        return make(ErrorKind::not_found, "calendly_not_found",
                    "Calendly has no such resource (" + said.summary + ").");
    }
    if (status == 429) {
        // Calendly's rate limit window is "typically 60 seconds" (developer.calendly.com,
        // "Rate Limits"); without a usable header, assume a whole window.
        const std::chrono::seconds wait =
            std::max(rate_limit.wait().value_or(std::chrono::seconds(60)), std::chrono::seconds(1));
        Error error = make(ErrorKind::rate_limited, "calendly_rate_limited",
                           "Calendly's rate limit for the host is used up (" + said.summary +
                               "); try again in " + std::to_string(wait.count()) + " seconds.");
        error.retry_after = wait;
        return error;
    }
    if (status >= 400 && status < 500) {
        Error error = make(ErrorKind::upstream_failed, "calendly_rejected",
                           "Calendly rejected the request (" + said.summary + ").");
        error.details = std::move(said.details);
        return error;
    }
    if (status >= 500 && status < 600) {
        return make(ErrorKind::upstream_failed, "calendly_unavailable",
                    "Calendly failed to answer (" + said.summary + "); try again later.");
    }
    return make(ErrorKind::upstream_failed, "calendly_unexpected_status",
                "Calendly answered with an unexpected status (" + said.summary + ").");
}

Error error_from_transport_failure(const Error& transport_error) {
    const std::string& code = transport_error.code;
    // The transport's message names the host and port (and TLS details): the log has it.
    const std::string cause = " (" + code + ")";
    if (code == "timeout") {
        return make(ErrorKind::upstream_timeout, "calendly_timeout",
                    "Calendly did not answer in time" + cause + "; try again.");
    }
    if (code == "tls_verify_failed") {
        return make(ErrorKind::upstream_failed, "calendly_tls_failed",
                    "Calendly's TLS certificate could not be verified" + cause + ".");
    }
    if (code == "bad_response") {
        return make(ErrorKind::upstream_failed, "bad_calendly_response",
                    "Calendly's answer could not be read" + cause + ".");
    }
    if (code == "invalid_url") {
        return make(ErrorKind::not_configured, "calendly_misconfigured",
                    "The service's connection to Calendly is misconfigured" + cause + ".");
    }
    return make(ErrorKind::upstream_failed, "calendly_unreachable",
                "Calendly could not be reached" + cause + "; try again later.");
}

Error calendly_busy() {
    Error error = make(ErrorKind::unavailable, "calendly_busy",
                       "Too many Calendly requests are in progress; try again in a moment.");
    error.retry_after = std::chrono::seconds(1);
    return error;
}

Error calendly_rate_limit_used_up(std::chrono::seconds wait) {
    wait = std::max(wait, std::chrono::seconds(1));
    Error error = make(ErrorKind::rate_limited, "calendly_rate_limited",
                       "Calendly's rate limit for the host is used up; try again in " +
                           std::to_string(wait.count()) + " seconds.");
    error.retry_after = wait;
    return error;
}

Error client_stopped() {
    Error error = make(ErrorKind::unavailable, "shutting_down", "The service is shutting down; try again shortly.");
    error.retry_after = std::chrono::seconds(1);
    return error;
}

bool nothing_was_written(const Error& error) noexcept {
    for (std::string_view refused :
         {"calendly_auth_failed", "calendly_permission_denied", "calendly_plan_required", "event_not_cancelable",
          "calendly_not_found", "calendly_rate_limited", "calendly_rejected", "calendly_busy", "shutting_down",
          "calendly_misconfigured"}) {
        if (error.code == refused) return true;
    }
    return false;
}

std::string_view operator_hint(const Error& error) {
    if (error.code == "calendly_auth_failed") {
        return "check CALENDLY_API_KEY: it must be a valid personal access token of the host, "
               "whose Calendly plan allows this action";
    }
    if (error.code == "calendly_permission_denied") {
        return "check CALENDLY_API_KEY: the token must have the scopes this action needs (e.g. "
               "scheduled_events:write to book or cancel); `calendly-realtime doctor` lists them";
    }
    if (error.code == "calendly_plan_required") {
        return "the host's Calendly plan does not allow this through the API; the single-use link still works";
    }
    if (error.code == "calendly_misconfigured") return "check CALENDLY_API_BASE_URL";
    if (error.code == "calendly_tls_failed") {
        return "check CALENDLY_API_BASE_URL and, for a private CA, CALENDLY_CA_FILE";
    }
    return {};
}

}  // namespace calrt::calendly

#include "calrt/calendly/calendly_error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;

constexpr const char* invalid_argument_body = R"({"title": "Invalid Argument",
  "message": "The supplied parameters are invalid.",
  "details": [{"parameter": "invitee.email", "message": "is not a valid email"}]})";

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

TEST(CalendlyError, UnauthorizedIsTheHostsProblemNotTheCallers) {
    const Error error = error_from_calendly_response(
        401, R"({"title": "Unauthenticated", "message": "The access token is invalid"})");
    EXPECT_EQ(error.kind, ErrorKind::upstream_failed);
    EXPECT_EQ(http_status_of(error.kind), 502u);
    EXPECT_EQ(error.code, "calendly_auth_failed");
    EXPECT_TRUE(contains(error.message, "HTTP 401 Unauthenticated: The access token is invalid"))
        << error.message;
}

TEST(CalendlyError, AuthFailuresNameNoSettingButGiveTheOperatorAHint) {
    for (unsigned status : {401u, 403u}) {
        const Error error = error_from_calendly_response(status, "");
        EXPECT_FALSE(contains(error.message, "CALENDLY_")) << error.message;
        EXPECT_TRUE(contains(operator_hint(error), "CALENDLY_API_KEY"));
    }
}

TEST(CalendlyError, ForbiddenWithoutAReasonIsAPermissionProblemKeepingCalendlysMessage) {
    const Error error = error_from_calendly_response(
        403, R"({"title": "Permission Denied", "message": "You do not have permission"})");
    EXPECT_EQ(error.kind, ErrorKind::upstream_failed);
    EXPECT_EQ(http_status_of(error.kind), 502u);
    EXPECT_EQ(error.code, "calendly_permission_denied");
    EXPECT_TRUE(contains(error.message, "HTTP 403 Permission Denied: You do not have permission")) << error.message;
}

TEST(CalendlyError, InsufficientScopeNamesTheScope) {
    const Error error = error_from_calendly_response(
        403, R"({"title": "Insufficient scope", "message": "The access token lacks a required scope.",
                 "required_scopes": ["scheduled_events:write"]})");
    EXPECT_EQ(error.code, "calendly_permission_denied");
    EXPECT_TRUE(contains(error.message, "scheduled_events:write")) << error.message;
    ASSERT_EQ(error.details.size(), 1u);
    EXPECT_EQ(error.details[0], (ErrorDetail{"required_scopes", "scheduled_events:write"}));
    EXPECT_TRUE(contains(operator_hint(error), "scope"));
}

TEST(CalendlyError, APlanRefusalIsNotConfiguredNotAnAuthFailure) {
    // The message before and after developer.calendly.com/release-notes/2026/11/3.
    for (const char* body :
         {R"({"title": "Permission Denied", "message": "The Scheduling API is only available on paid Calendly plans. Upgrade your plan to access this feature."})",
          R"({"title": "Permission Denied", "message": "Please upgrade to a paid Calendly account."})"}) {
        const Error error = error_from_calendly_response(403, body);
        EXPECT_EQ(error.code, "calendly_plan_required") << body;
        EXPECT_EQ(error.kind, ErrorKind::not_configured);
        EXPECT_EQ(http_status_of(error.kind), 503u);
        EXPECT_TRUE(contains(error.message, "plan")) << error.message;
        EXPECT_FALSE(contains(error.message, "CALENDLY_")) << error.message;
    }
}

TEST(CalendlyError, CancelingACanceledOrPastEventIsAConflict) {
    for (const char* message : {"Event is already canceled", "Event in the past"}) {
        const Error error = error_from_calendly_response(
            403, std::string(R"({"title": "Permission Denied", "message": ")") + message + ""}");
        EXPECT_EQ(error.code, "event_not_cancelable") << message;
        EXPECT_EQ(error.kind, ErrorKind::conflict);
        EXPECT_EQ(http_status_of(error.kind), 409u);
    }
    const Error not_allowed = error_from_calendly_response(
        403, R"({"title": "Permission Denied", "message": "You are not allowed to cancel this event"})");
    EXPECT_EQ(not_allowed.code, "calendly_permission_denied");
}

TEST(CalendlyError, EveryForbiddenAnswerProvesNothingWasWritten) {
    for (const char* message : {"You do not have permission", "Please upgrade to a paid Calendly account.",
                                "Event is already canceled"}) {
        const Error error = error_from_calendly_response(
            403, std::string(R"({"title": "Permission Denied", "message": ")") + message + ""}");
        EXPECT_TRUE(nothing_was_written(error)) << error.code;
    }
}

TEST(CalendlyError, OnlyARefusalOrARequestNeverSentProvesNothingWasWritten) {
    EXPECT_TRUE(nothing_was_written(error_from_calendly_response(400, R"({"title":"Invalid Argument"})")));
    EXPECT_TRUE(nothing_was_written(error_from_calendly_response(401, "")));
    EXPECT_TRUE(nothing_was_written(error_from_calendly_response(429, "")));
    EXPECT_TRUE(nothing_was_written(calendly_busy()));
    EXPECT_TRUE(nothing_was_written(client_stopped()));
    // Calendly may have booked before it failed or before the answer was lost.
    EXPECT_FALSE(nothing_was_written(error_from_calendly_response(500, "")));
    EXPECT_FALSE(nothing_was_written(error_from_transport_failure(Error::make(ErrorKind::upstream_timeout, "timeout", "t"))));
    EXPECT_FALSE(nothing_was_written(
        error_from_transport_failure(Error::make(ErrorKind::upstream_failed, "connection_lost", "lost"))));
}

TEST(CalendlyError, NotFoundStaysNotFound) {
    const Error error = error_from_calendly_response(
        404, R"({"title": "Resource Not Found", "message": "The server could not find it."})");
    EXPECT_EQ(error.kind, ErrorKind::not_found);
    EXPECT_EQ(error.code, "calendly_not_found");
}

TEST(CalendlyError, BadRequestKeepsCalendlyDetails) {
    for (unsigned status : {400u, 422u}) {
        const Error error = error_from_calendly_response(status, invalid_argument_body);
        EXPECT_EQ(error.kind, ErrorKind::upstream_failed);
        EXPECT_EQ(error.code, "calendly_rejected");
        EXPECT_TRUE(
            contains(error.message, "Invalid Argument: The supplied parameters are invalid."))
            << error.message;
        EXPECT_EQ(error.details,
                  (std::vector<ErrorDetail>{{"invitee.email", "is not a valid email"}}));
    }
}

TEST(CalendlyError, RateLimitedCarriesTheWaitFromHeaders) {
    RateLimitHeaders headers;
    headers.reset = "37";
    const Error error = error_from_calendly_response(
        429, R"({"title": "Too Many Requests", "message": "slow down"})", headers);
    EXPECT_EQ(error.kind, ErrorKind::rate_limited);
    EXPECT_EQ(error.code, "calendly_rate_limited");
    EXPECT_EQ(error.retry_after, 37s);

    headers.retry_after = "5";
    EXPECT_EQ(error_from_calendly_response(429, "", headers).retry_after, 5s);
}

TEST(CalendlyError, RateLimitedWithoutHeadersWaitsAWholeWindow) {
    EXPECT_EQ(error_from_calendly_response(429, "").retry_after, 60s);
}

TEST(CalendlyError, ServerErrorsAreUnavailable) {
    for (unsigned status : {500u, 502u, 503u, 504u}) {
        const Error error = error_from_calendly_response(status, "<html>Bad Gateway</html>");
        EXPECT_EQ(error.kind, ErrorKind::upstream_failed);
        EXPECT_EQ(error.code, "calendly_unavailable");
        EXPECT_TRUE(contains(error.message, "not Calendly's error format")) << error.message;
    }
}

TEST(CalendlyError, OtherStatusesAreUnexpected) {
    EXPECT_EQ(error_from_calendly_response(302, "").code, "calendly_unexpected_status");
}

TEST(CalendlyError, HugeCalendlyMessagesAreClippedToValidUtf8) {
    // "é" straddles the clipping point: cutting inside it would leave invalid UTF-8.
    const std::string message = std::string(299, 'x') + "\xC3\xA9" + std::string(1000, 'y');
    const std::string body =
        R"({"title": "Invalid Argument", "message": ")" + message + R"("})";
    const Error error = error_from_calendly_response(400, body);
    EXPECT_LT(error.message.size(), 500u);
    EXPECT_NO_THROW((void)nlohmann::json(error.message).dump());
}

TEST(CalendlyError, TransportFailuresMapToGatewayErrors) {
    const auto from = [](const char* code) {
        return error_from_transport_failure(Error::make(ErrorKind::unavailable, code, "detail"));
    };
    EXPECT_EQ(from("timeout").kind, ErrorKind::upstream_timeout);
    EXPECT_EQ(http_status_of(from("timeout").kind), 504u);
    EXPECT_EQ(from("timeout").code, "calendly_timeout");
    EXPECT_EQ(from("connect_failed").code, "calendly_unreachable");
    EXPECT_EQ(from("connection_lost").code, "calendly_unreachable");
    EXPECT_EQ(from("connect_failed").kind, ErrorKind::upstream_failed);
    EXPECT_EQ(from("tls_verify_failed").code, "calendly_tls_failed");
    EXPECT_EQ(from("bad_response").code, "bad_calendly_response");
    EXPECT_EQ(from("invalid_url").kind, ErrorKind::not_configured);
}

TEST(CalendlyError, TransportFailuresKeepTheHostAndSettingsOutOfTheMessage) {
    for (const char* code : {"timeout", "connect_failed", "connection_lost", "tls_verify_failed",
                             "bad_response", "invalid_url", "anything_else"}) {
        const Error error = error_from_transport_failure(Error::make(
            ErrorKind::upstream_failed, code,
            "connecting to api.calendly.com:443 failed (trust its CA with extra_ca_file)"));
        EXPECT_FALSE(contains(error.message, "api.calendly.com")) << error.message;
        EXPECT_FALSE(contains(error.message, "443")) << error.message;
        EXPECT_FALSE(contains(error.message, "extra_ca_file")) << error.message;
        EXPECT_FALSE(contains(error.message, "CALENDLY_")) << error.message;
        EXPECT_TRUE(contains(error.message, code)) << "the transport's code stays: " << error.message;
    }
    EXPECT_TRUE(contains(operator_hint(error_from_transport_failure(
                             Error::make(ErrorKind::internal, "invalid_url", "bad"))),
                         "CALENDLY_API_BASE_URL"));
}

TEST(CalendlyError, RefusalsBeforeSendingAreRetryable) {
    const Error busy = calendly_busy();
    EXPECT_EQ(busy.code, "calendly_busy");
    EXPECT_EQ(http_status_of(busy.kind), 503u);
    EXPECT_TRUE(busy.retry_after.has_value());
    const Error used_up = calendly_rate_limit_used_up(std::chrono::seconds(42));
    EXPECT_EQ(used_up.code, "calendly_rate_limited");
    EXPECT_EQ(http_status_of(used_up.kind), 429u);
    EXPECT_EQ(used_up.retry_after, 42s);
}

TEST(RateLimitHeaders, FindsHeadersCaseInsensitively) {
    const net::HeaderList headers = {{"x-ratelimit-limit", "500"},
                                     {"X-RATELIMIT-REMAINING", "12"},
                                     {"X-RateLimit-Reset", "42"},
                                     {"retry-after", "7"},
                                     {"Content-Type", "application/json"}};
    const RateLimitHeaders rate_limit = RateLimitHeaders::from(headers);
    EXPECT_EQ(rate_limit.limit, "500");
    EXPECT_EQ(rate_limit.remaining_requests(), 12);
    EXPECT_EQ(rate_limit.reset, "42");
    EXPECT_EQ(rate_limit.wait(), 7s);  // Retry-After wins
}

TEST(RateLimitHeaders, ParsesSecondsTolerantly) {
    EXPECT_EQ(parse_header_seconds("60"), 60s);
    EXPECT_EQ(parse_header_seconds(" 0 "), 0s);
    EXPECT_EQ(parse_header_seconds("1.5"), 2s);
    EXPECT_EQ(parse_header_seconds("2.0"), 2s);
    EXPECT_EQ(parse_header_seconds("99999999999999999999"), 86400s);
    EXPECT_FALSE(parse_header_seconds(""));
    EXPECT_FALSE(parse_header_seconds("-1"));
    EXPECT_FALSE(parse_header_seconds("soon"));
    EXPECT_FALSE(parse_header_seconds("1."));
    EXPECT_FALSE(parse_header_seconds("Wed, 21 Oct 2015 07:28:00 GMT"));
}

TEST(RateLimitHeaders, DateRetryAfterFallsBackToReset) {
    RateLimitHeaders headers;
    headers.retry_after = "Wed, 21 Oct 2015 07:28:00 GMT";
    headers.reset = "30";
    EXPECT_EQ(headers.wait(), 30s);
}

}  // namespace
}  // namespace calrt::calendly

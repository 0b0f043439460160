#include "calrt/server/responses.hpp"

#include "calrt/core/input_validation.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt::server {
namespace {

TEST(ErrorResponse, HasTheDesignShapeAndStatus) {
    auto response = error_response(Error::make(ErrorKind::invalid_argument, "invalid_email", "bad \"email\"\n"));
    EXPECT_EQ(response.status, 400u);
    EXPECT_EQ(response.content_type, "application/json");
    auto body = nlohmann::json::parse(response.body);
    EXPECT_EQ(body, (nlohmann::json{{"error", {{"code", "invalid_email"}, {"message", "bad \"email\"\n"}}}}));
}

TEST(ErrorResponse, DetailsAreRenderedWhenPresent) {
    Error error = Error::make(ErrorKind::upstream_failed, "calendly_rejected", "Calendly said no");
    error.details = {{"email", "is not a valid \"email\""}, {"", "general problem"}};
    auto body = nlohmann::json::parse(error_response(error).body);
    EXPECT_EQ(body["error"]["details"],
              (nlohmann::json::array({{{"parameter", "email"}, {"message", "is not a valid \"email\""}},
                                      {{"parameter", ""}, {"message", "general problem"}}})));
}

TEST(ErrorResponse, HasNoDetailsKeyWithoutDetails) {
    auto body = nlohmann::json::parse(
        error_response(Error::make(ErrorKind::not_found, "not_found", "nothing here")).body);
    EXPECT_FALSE(body["error"].contains("details"));
}

TEST(ErrorResponse, RateLimitCarriesRetryAfter) {
    Error error = Error::make(ErrorKind::rate_limited, "rate_limited", "slow down");
    error.retry_after = std::chrono::seconds(7);
    auto response = error_response(error);
    EXPECT_EQ(response.status, 429u);
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>{"Retry-After", "7"}));
}

TEST(ErrorKinds, MapToTheDesignStatuses) {
    EXPECT_EQ(http_status_of(ErrorKind::unauthenticated), 401u);
    EXPECT_EQ(http_status_of(ErrorKind::permission_denied), 403u);
    EXPECT_EQ(http_status_of(ErrorKind::not_found), 404u);
    EXPECT_EQ(http_status_of(ErrorKind::method_not_allowed), 405u);
    EXPECT_EQ(http_status_of(ErrorKind::payload_too_large), 413u);
    EXPECT_EQ(http_status_of(ErrorKind::unsupported_media_type), 415u);
    EXPECT_EQ(http_status_of(ErrorKind::header_too_large), 431u);
    EXPECT_EQ(http_status_of(ErrorKind::upstream_failed), 502u);
    EXPECT_EQ(http_status_of(ErrorKind::not_configured), 503u);
    EXPECT_EQ(http_status_of(ErrorKind::upstream_timeout), 504u);
}

TEST(JsonResponse, InvalidUtf8IsReplacedNotThrown) {
    auto response = json_response(200, {{"name", std::string("bad \xff byte")}});
    EXPECT_EQ(response.status, 200u);
    EXPECT_TRUE(nlohmann::json::accept(response.body));
}

// Found by fuzz/rest_body_fuzz: a query value is percent-decoded into any bytes, and the 400 quotes
// it; the body must still be JSON a strict reader accepts.
TEST(ErrorResponse, IsValidJsonWhenTheMessageQuotesBytesThatAreNotUtf8) {
    const auto refused = validate_time("end_time", "2026-\xCC" "5-03T00:00:00Z");
    ASSERT_FALSE(refused);
    const auto body = nlohmann::json::parse(error_response(refused.error()).body, nullptr, false);
    ASSERT_FALSE(body.is_discarded());
    EXPECT_EQ(body["error"]["code"], "invalid_time");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("2026-\xEF\xBF\xBD" "5-03"), std::string::npos);
}

}  // namespace
}  // namespace calrt::server

// The /api/calendly actions' request parsers on their own: what each accepts and how it refuses,
// with no Calendly behind them.
#include "server/calendly_action_requests.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

const Timestamp kNow = *parse_rfc3339("2026-01-01T00:00:00Z");

ActionParams params(std::vector<std::pair<std::string, std::string>> values) {
    return ActionParams::from_query(values);
}

TEST(CalendlyActionRequests, BookTakesTheUuidOfAnEventTypeUriAndLoadsTheZone) {
    TimeZoneCache zones;
    auto request = book_request_from(params({{"event_type", "https://api.calendly.com/event_types/ABC123"},
                                             {"start_time", "2026-05-04T10:00:00-04:00"},
                                             {"name", "Ada Lovelace"},
                                             {"email", "ada@example.com"},
                                             {"timezone", "America/New_York"}}),
                                     kNow, zones);
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(request->event_type_id, "ABC123");
    EXPECT_EQ(request->start_time, *parse_rfc3339("2026-05-04T14:00:00Z"));
    EXPECT_EQ(request->time_zone.name(), "America/New_York");
}

TEST(CalendlyActionRequests, BookRefusesAStartThatIsNotAfterNow) {
    TimeZoneCache zones;
    auto request = book_request_from(params({{"event_type", "ABC123"},
                                             {"start_time", "2026-01-01T00:00:00Z"},
                                             {"name", "Ada"},
                                             {"email", "ada@example.com"},
                                             {"timezone", "UTC"}}),
                                     kNow, zones);
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, "start_time_in_past");
}

TEST(CalendlyActionRequests, TheFirstProblemInFieldOrderIsTheOneReported) {
    TimeZoneCache zones;
    // Both the name and the time zone are wrong: the name comes first.
    auto request = book_request_from(params({{"event_type", "ABC123"},
                                             {"start_time", "2026-05-04T10:00:00Z"},
                                             {"email", "ada@example.com"},
                                             {"timezone", "Nowhere/Special"}}),
                                     kNow, zones);
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, "missing_field");
    EXPECT_EQ(request.error().details.at(0).parameter, "name");
}

TEST(CalendlyActionRequests, AvailabilityNeedsAnEndAfterItsStart) {
    TimeZoneCache zones;
    auto request = availability_request_from(params({{"event_type", "ABC123"},
                                                     {"start_time", "2026-05-04T00:00:00Z"},
                                                     {"end_time", "2026-05-04T00:00:00Z"}}),
                                             zones);
    ASSERT_FALSE(request);
    EXPECT_EQ(request.error().code, "invalid_time_range");
}

TEST(CalendlyActionRequests, EventInfoTakesExactlyOneOfUuidAndUri) {
    EXPECT_EQ(event_info_request_from(params({})).error().code, "missing_field");
    EXPECT_EQ(event_info_request_from(params({{"uuid", "A1"}, {"uri", "https://api.calendly.com/event_types/A1"}}))
                  .error()
                  .code,
              "missing_field");
    EXPECT_EQ(event_info_request_from(params({{"uri", "https://api.calendly.com/event_types/A1"}}))->event_type_id,
              "A1");
}

TEST(CalendlyActionRequests, CreateLinkKeepsPurposeAndEventTypeWhenGiven) {
    auto request = create_link_request_from(params({{"name", "Grace Hopper"},
                                                    {"email", "grace@example.org"},
                                                    {"purpose", "Compilers"},
                                                    {"event_type", "https://api.calendly.com/event_types/E1"}}));
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(request->prefill.purpose, "Compilers");
    EXPECT_EQ(request->event_type, "E1");
}

TEST(CalendlyActionRequests, ScheduledEventsRefusesAnUnknownStatus) {
    EXPECT_EQ(scheduled_events_query_from(params({{"status", "pending"}})).error().code, "invalid_status");
    auto query = scheduled_events_query_from(params({{"status", "canceled"}}));
    ASSERT_TRUE(query);
    EXPECT_EQ(query->status, "canceled");
}

TEST(CalendlyActionRequests, CancelTakesAScheduledEventUriButNotAnEventTypeUri) {
    EXPECT_EQ(cancel_request_from(params({{"uuid", "https://api.calendly.com/scheduled_events/S1"}}))->event_uuid,
              "S1");
    EXPECT_EQ(cancel_request_from(params({{"uuid", "https://api.calendly.com/event_types/S1"}})).error().code,
              "invalid_id");
}

}  // namespace
}  // namespace calrt::server

// The relay's live booking confirmation: reading Calendly's invitee.created payload, and which
// bookings a session may be told about.
#include "calrt/server/booking_confirmation.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

using nlohmann::json;

const char* kType = "https://api.calendly.com/event_types/TYPE30";

std::string invitee_created(const std::string& email, const std::string& type, const std::string& start) {
    json scheduled_event = {{"name", "30 Minute Meeting"}, {"event_type", type}, {"start_time", start}};
    json payload = {{"email", email},
                    {"uri", "https://api.calendly.com/scheduled_events/E1/invitees/I1"},
                    {"timezone", "Europe/Berlin"},
                    {"scheduled_event", scheduled_event}};
    return json{{"event", "invitee.created"}, {"created_at", "2026-11-25T10:00:00.000000Z"}, {"payload", payload}}
        .dump();
}

TEST(BookingConfirmation, ReadsTheBookingInTheInviteesZone) {
    TimeZoneCache zones;
    const auto booking = booking_confirmation(invitee_created("Ada@Example.com", kType, "2026-12-01T14:00:00.000000Z"), zones);
    ASSERT_TRUE(booking);
    EXPECT_EQ(booking->email, "Ada@Example.com");
    EXPECT_EQ(booking->event_type_uri, kType);
    EXPECT_EQ(booking->event_name, "30 Minute Meeting");
    EXPECT_EQ(booking->start_time, "2026-12-01T15:00:00+01:00");
    ASSERT_TRUE(booking->start);
    EXPECT_EQ(format_rfc3339(*booking->start), "2026-12-01T14:00:00Z");
    const std::string text = confirmation_item(*booking)["item"]["content"][0]["text"];
    EXPECT_NE(text.find("2026-12-01T15:00:00+01:00 (Europe/Berlin)"), std::string::npos) << text;
}

TEST(BookingConfirmation, OtherEventsAreNotBookings) {
    TimeZoneCache zones;
    EXPECT_FALSE(booking_confirmation(R"({"event":"invitee.canceled","payload":{"email":"a@b.c"}})", zones));
    EXPECT_FALSE(booking_confirmation("not json", zones));
}

TEST(BookingConfirmation, ADirectBookingIsRecognisedByEmailTypeAndSlot) {
    TimeZoneCache zones;
    const auto booking = booking_confirmation(invitee_created("ADA@example.com", kType, "2026-12-01T14:00:00Z"), zones);
    ASSERT_TRUE(booking);
    const auto start = parse_rfc3339("2026-12-01T14:00:00Z");
    const auto other_start = parse_rfc3339("2026-12-01T15:00:00Z");
    ASSERT_TRUE(start && other_start);
    // book_meeting: email, type and slot. Without a slot or a link token nothing identifies it.
    EXPECT_FALSE(matches(*booking, {"ada@example.com", kType, std::nullopt, ""}));
    EXPECT_TRUE(matches(*booking, {"ada@example.com", kType, *start, ""}));
    EXPECT_FALSE(matches(*booking, {"ada@example.com", kType, *other_start, ""}));
    EXPECT_FALSE(matches(*booking, {"ada@example.com", "https://api.calendly.com/event_types/OTHER", std::nullopt, ""}));
    EXPECT_FALSE(matches(*booking, {"eve@example.com", kType, std::nullopt, ""}));
    EXPECT_FALSE(matches(*booking, {"ada@example.com", "", std::nullopt, ""}));
}

TEST(BookingConfirmation, ADirectBookingCalendlyAnsweredIsRecognisedByItsInviteeAlone) {
    TimeZoneCache zones;
    json envelope = json::parse(invitee_created("ada@example.com", kType, "2026-12-01T14:00:00Z"));
    envelope["payload"]["uri"] = "https://api.calendly.com/scheduled_events/E1/invitees/MINE";
    const auto booking = booking_confirmation(envelope.dump(), zones);
    ASSERT_TRUE(booking);
    const auto start = parse_rfc3339("2026-12-01T14:00:00Z");
    ASSERT_TRUE(start);
    tools::ExpectedBooking mine{"ada@example.com", kType, *start, ""};
    mine.invitee_uri = "https://api.calendly.com/scheduled_events/E1/invitees/MINE";
    EXPECT_TRUE(matches(*booking, mine));
    // Same email, type and slot, but POST /invitees said the booking was another one (review N4).
    tools::ExpectedBooking other = mine;
    other.invitee_uri = "https://api.calendly.com/scheduled_events/E2/invitees/OTHER";
    EXPECT_FALSE(matches(*booking, other));
}

TEST(BookingConfirmation, ALinksBookingIsRecognisedByItsTrackingToken) {
    TimeZoneCache zones;
    json envelope = json::parse(invitee_created("someone.else@example.com", kType, "2026-12-01T14:00:00Z"));
    envelope["payload"]["tracking"] = {{"utm_content", "calrt-token-1"}, {"utm_source", nullptr}};
    const auto booking = booking_confirmation(envelope.dump(), zones);
    ASSERT_TRUE(booking);
    EXPECT_EQ(booking->tracking, "calrt-token-1");
    // The person may change the email on the page; the token is what identifies the link.
    EXPECT_TRUE(matches(*booking, {"ada@example.com", kType, std::nullopt, "calrt-token-1"}));
    EXPECT_FALSE(matches(*booking, {"ada@example.com", kType, std::nullopt, "calrt-token-2"}));
    EXPECT_FALSE(matches(*booking, {"someone.else@example.com", "https://api.calendly.com/event_types/X",
                                    std::nullopt, "calrt-token-1"}));
}

}  // namespace
}  // namespace calrt::server

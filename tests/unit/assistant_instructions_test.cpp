// The instructions the server gives the Realtime model: who the host is, today's date, how to use
// each tool, and to confirm before booking.
#include "calrt/realtime/assistant_instructions.hpp"

#include <gtest/gtest.h>

namespace calrt::realtime {
namespace {

TEST(AssistantInstructions, NameTheHostTodayAndEveryTool) {
    const auto now = parse_rfc3339("2026-11-25T23:30:00Z");
    ASSERT_TRUE(now);
    const std::string text = assistant_instructions("Alex Rivera", *now);
    EXPECT_NE(text.find("Alex Rivera"), std::string::npos) << text;
    EXPECT_NE(text.find("Today is 2026-11-25"), std::string::npos) << text;
    for (const char* tool : {"get_available_meeting_types", "check_meeting_availability", "schedule_call",
                             "book_meeting"}) {
        EXPECT_NE(text.find(tool), std::string::npos) << tool;
    }
    EXPECT_NE(text.find("confirms"), std::string::npos) << text;  // book only after the person confirms
}

TEST(AssistantInstructions, SayToAskWhatAMeetingTypesBookingNeeds) {
    const auto now = parse_rfc3339("2026-11-25T23:30:00Z");
    ASSERT_TRUE(now);
    const std::string text = assistant_instructions("Alex Rivera", *now);
    EXPECT_NE(text.find("`booking`"), std::string::npos) << text;
    EXPECT_NE(text.find("phone number"), std::string::npos) << text;
    EXPECT_NE(text.find("location and answers"), std::string::npos) << text;
    EXPECT_NE(text.find("tell the person why"), std::string::npos) << text;
}

TEST(AssistantInstructions, WithoutAHostNameSayTheHost) {
    const auto now = parse_rfc3339("2026-01-02T08:00:00Z");
    ASSERT_TRUE(now);
    const std::string text = assistant_instructions("", *now);
    EXPECT_NE(text.find("with the host."), std::string::npos) << text;
    EXPECT_NE(text.find("Today is 2026-01-02"), std::string::npos) << text;
}

TEST(AssistantInstructions, ThePersonsTimeZoneIsGivenSoTheAssistantDoesNotAskForIt) {
    const auto now = parse_rfc3339("2026-01-02T08:00:00Z");
    ASSERT_TRUE(now);
    const std::string text = assistant_instructions("Alex Rivera", *now, "Asia/Kolkata");
    EXPECT_NE(text.find("the person's time zone is Asia/Kolkata"), std::string::npos) << text;
    EXPECT_NE(text.find("do not ask for it"), std::string::npos) << text;
    EXPECT_EQ(text.find("ask for the person's time zone"), std::string::npos) << text;
}

TEST(AssistantInstructions, WithoutTheirTimeZoneTheAssistantAsksForIt) {
    const auto now = parse_rfc3339("2026-01-02T08:00:00Z");
    ASSERT_TRUE(now);
    const std::string text = assistant_instructions("Alex Rivera", *now);
    EXPECT_NE(text.find("ask for the person's time zone"), std::string::npos) << text;
}

}  // namespace
}  // namespace calrt::realtime

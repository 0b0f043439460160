// Who may call and when (phone/call_admission.hpp), and what the phone assistant is told
// (phone/phone_assistant.hpp).
#include <gtest/gtest.h>

#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"
#include "calrt/phone/call_admission.hpp"
#include "calrt/phone/phone_assistant.hpp"

namespace calrt::phone {
namespace {

Timestamp at(const char* rfc3339) { return parse_rfc3339(rfc3339).value(); }

TEST(PhoneHours, EmptyIsAlwaysOpen) {
    const auto hours = PhoneHours::parse("").value();
    EXPECT_TRUE(hours.always_open());
    EXPECT_TRUE(hours.open_at(at("2026-12-06T03:00:00Z"), TimeZone::utc()));
}

TEST(PhoneHours, OpenWithinTheDaysAndTimesInTheZone) {
    const auto hours = PhoneHours::parse("mon-fri 09:00-17:00, Sat 10:00-13:00").value();
    const auto berlin = TimeZone::load("Europe/Berlin").value();
    // Monday 2026-12-07: 09:00 in Berlin is 08:00 UTC.
    EXPECT_FALSE(hours.open_at(at("2026-12-07T07:59:00Z"), berlin));
    EXPECT_TRUE(hours.open_at(at("2026-12-07T08:00:00Z"), berlin));
    EXPECT_TRUE(hours.open_at(at("2026-12-07T15:59:00Z"), berlin));
    EXPECT_FALSE(hours.open_at(at("2026-12-07T16:00:00Z"), berlin));  // 17:00 is closed
    EXPECT_TRUE(hours.open_at(at("2026-12-12T09:30:00Z"), berlin));   // Saturday 10:30
    EXPECT_FALSE(hours.open_at(at("2026-12-13T10:00:00Z"), berlin));  // Sunday
}

TEST(PhoneHours, DayRangesMayWrapAndRunToMidnight) {
    const auto hours = PhoneHours::parse("fri-mon 20:00-24:00").value();
    EXPECT_TRUE(hours.open_at(at("2026-12-13T23:59:00Z"), TimeZone::utc()));   // Sunday
    EXPECT_TRUE(hours.open_at(at("2026-12-07T20:00:00Z"), TimeZone::utc()));   // Monday
    EXPECT_FALSE(hours.open_at(at("2026-12-08T21:00:00Z"), TimeZone::utc()));  // Tuesday
}

TEST(PhoneHours, RefusesWhatItDoesNotUnderstandNamingTheEntry) {
    for (const char* text : {"weekdays 09:00-17:00", "mon 9-17", "mon 17:00-09:00", "mon 09:00-25:00", "mon",
                             "mon 09:60-10:00"}) {
        auto parsed = PhoneHours::parse(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().code, "invalid_phone_hours");
        EXPECT_NE(parsed.error().message.find(text), std::string::npos) << parsed.error().message;
    }
}

TEST(BlockedNumbers, ExactNumbersPrefixesAndAnonymous) {
    const auto blocked = BlockedNumbers::parse("+1 (415) 555-0100, +1900*, anonymous").value();
    EXPECT_TRUE(blocked.blocks("+14155550100"));
    EXPECT_FALSE(blocked.blocks("+14155550101"));
    EXPECT_TRUE(blocked.blocks("+19005550000"));
    EXPECT_TRUE(blocked.blocks(""));
    EXPECT_FALSE(BlockedNumbers::parse("+14155550100").value().blocks(""));
    EXPECT_FALSE(BlockedNumbers::parse("").value().blocks("+14155550100"));
}

TEST(BlockedNumbers, RefusesEntriesThatAreNotNumbers) {
    for (const char* text : {"john", "+1-800-FLOWERS", "12", "*"}) {
        auto parsed = BlockedNumbers::parse(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().code, "invalid_blocked_numbers");
    }
}

TEST(CallingCodeCountry, LongestKnownCodeWinsAndUnknownGivesNoHint) {
    EXPECT_EQ(calling_code_country("+442071838750"), "the United Kingdom");
    EXPECT_EQ(calling_code_country("+353861234567"), "Ireland");
    EXPECT_EQ(calling_code_country("+14155550123"), "the United States or Canada");
    EXPECT_EQ(calling_code_country("+999123"), "");
    EXPECT_EQ(calling_code_country("4155550123"), "");  // no country code at all
    EXPECT_EQ(calling_code_country(""), "");
}

TEST(PhoneInstructions, SayHowToUseTheNumberAndTheHandOffWithoutTheNumberItself) {
    const auto with_transfer = phone_instructions("+442071838750", true, "https://calendly.com/host");
    EXPECT_NE(with_transfer.find("the United Kingdom"), std::string::npos);
    EXPECT_NE(with_transfer.find("text_reminders_to_calling_number"), std::string::npos);
    EXPECT_NE(with_transfer.find("transfer_to_human"), std::string::npos);
    EXPECT_NE(with_transfer.find("end_call"), std::string::npos);
    EXPECT_EQ(with_transfer.find("2071838750"), std::string::npos);
    const auto without = phone_instructions("", false, "https://calendly.com/host");
    EXPECT_EQ(without.find("text_reminders_to_calling_number"), std::string::npos);
    EXPECT_NE(without.find("https://calendly.com/host"), std::string::npos);
}

}  // namespace
}  // namespace calrt::phone

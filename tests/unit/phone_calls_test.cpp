#include "calrt/phone/phone_calls.hpp"

#include <gtest/gtest.h>

#include "calrt/phone/phone_lines.hpp"

namespace calrt::phone {
namespace {

using nlohmann::json;

// The spec's example event (openai-node api_reference/openapi.transformed.yml,
// WebhookRealtimeCallIncoming) with a From header added.
json incoming_event(json sip_headers) {
    return {{"id", "evt_abc123"},
            {"object", "event"},
            {"type", "realtime.call.incoming"},
            {"created_at", 1719168000},
            {"data",
             {{"call_id", "rtc_479a275623b54bdb9b6fbae2f7cbd408"},
              {"sip_headers", std::move(sip_headers)}}}};
}

TEST(IncomingCall, ReadsCallIdEventIdAndTheCallersNumberFromFrom) {
    const auto call = parse_incoming_call(incoming_event(json::array({
        {{"name", "Max-Forwards"}, {"value", "63"}},
        {{"name", "From"}, {"value", "\"Ada\" <sip:+442071838750@trunk.example>;tag=1"}},
        {{"name", "CSeq"}, {"value", "851287 INVITE"}},
    })));
    ASSERT_TRUE(call) << call.error().message;
    EXPECT_EQ(call->call_id, "rtc_479a275623b54bdb9b6fbae2f7cbd408");
    EXPECT_EQ(call->event_id, "evt_abc123");
    EXPECT_EQ(call->caller_number, "+442071838750");
}

TEST(IncomingCall, HeaderNamesAreCaseInsensitiveAndTheCompactFormCounts) {
    const auto lower = parse_incoming_call(
        incoming_event(json::array({{{"name", "from"}, {"value", "<tel:+14155550123>"}}})));
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->caller_number, "+14155550123");
    const auto compact = parse_incoming_call(
        incoming_event(json::array({{{"name", "f"}, {"value", "sip:5551234@pbx"}}})));
    ASSERT_TRUE(compact);
    EXPECT_EQ(compact->caller_number, "5551234");
}

TEST(IncomingCall, NoFromHeaderOrAnAnonymousOneLeavesTheNumberEmpty) {
    const auto none = parse_incoming_call(incoming_event(json::array()));
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->caller_number.empty());
    const auto anonymous = parse_incoming_call(incoming_event(json::array(
        {{{"name", "From"}, {"value", "\"Anonymous\" <sip:anonymous@anonymous.invalid>"}}})));
    ASSERT_TRUE(anonymous);
    EXPECT_TRUE(anonymous->caller_number.empty());
}

TEST(IncomingCall, MissingCallIdOrMalformedHeadersAreRefused) {
    json no_call = incoming_event(json::array());
    no_call["data"].erase("call_id");
    EXPECT_EQ(parse_incoming_call(no_call).error().code, "malformed_call_event");
    json headers_as_map = incoming_event(json::array());
    headers_as_map["data"]["sip_headers"] = {{"From", "sip:+1@x"}};
    EXPECT_EQ(parse_incoming_call(headers_as_map).error().code, "malformed_call_event");
}

TEST(SipHeaderNumber, AcceptsSeparatorsAndRejectsNonNumbers) {
    EXPECT_EQ(number_in_sip_header("<tel:+1-415-555-0123;phone-context=x>"), "+14155550123");
    EXPECT_EQ(number_in_sip_header("sips:+33(0)1.23.45.67.89@carrier;user=phone"), "+330123456789");
    EXPECT_EQ(number_in_sip_header("<sip:alice@example.com>"), "");
    EXPECT_EQ(number_in_sip_header("<sip:12@x>"), "");  // too short to be a number
    EXPECT_EQ(number_in_sip_header("<sip:+1415"), "");  // no closing bracket
}

TEST(MaskPhoneNumber, KeepsThePrefixAndTheLastTwoDigitsOnly) {
    EXPECT_EQ(mask_phone_number("+442071838750"), "+442*******50");
    EXPECT_EQ(mask_phone_number("12345"), "*****");
}

TEST(PhoneLines, TakesUpToMaxCallsAndFreesOnRelease) {
    PhoneLines lines(2);
    EXPECT_TRUE(lines.take("rtc_1"));
    EXPECT_TRUE(lines.take("rtc_1"));  // the same call holds one line
    EXPECT_TRUE(lines.take("rtc_2"));
    EXPECT_FALSE(lines.take("rtc_3"));
    lines.release("rtc_1");
    EXPECT_TRUE(lines.take("rtc_3"));
    EXPECT_EQ(lines.in_use(), 2u);
}

TEST(PhoneLines, ZeroMaxCallsTakesNone) {
    PhoneLines lines(0);
    EXPECT_FALSE(lines.take("rtc_1"));
}

}  // namespace
}  // namespace calrt::phone

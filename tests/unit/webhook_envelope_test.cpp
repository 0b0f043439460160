#include "support/webhook_envelope.hpp"

#include <gtest/gtest.h>

#include "calrt/store/webhook_delivery.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;

TEST(WebhookEnvelope, ReadsEventPayloadUriAndCreatedAt) {
    const auto received_at = std::chrono::system_clock::time_point(1'700'000'000'000ms);
    const std::string body = test::webhook_envelope("invitee.created", test::invitee_uri(7),
                                                    "2024-05-01T10:00:00.123456Z");

    const auto delivery = parse_webhook_envelope(body, received_at);

    ASSERT_TRUE(delivery) << delivery.error().message;
    EXPECT_EQ(delivery->event, "invitee.created");
    EXPECT_EQ(delivery->payload_uri, test::invitee_uri(7));
    EXPECT_EQ(delivery->envelope_created_at, "2024-05-01T10:00:00.123456Z");
    EXPECT_EQ(delivery->received_at, received_at);
    EXPECT_TRUE(delivery->known_event);
}

TEST(WebhookEnvelope, KeepsTheRawBodyByteForByte) {
    const std::string body =
        "{ \"event\" : \"invitee.canceled\",\n \"created_at\":\"2024-05-01T10:00:00Z\", "
        "\"payload\": {\"uri\": \"u\", \"name\": \"J\\u00f6rg\"} }";

    const auto delivery = parse_webhook_envelope(body);

    ASSERT_TRUE(delivery) << delivery.error().message;
    EXPECT_EQ(delivery->raw_body, body);
}

TEST(WebhookEnvelope, RejectsMalformedJson) {
    const auto delivery = parse_webhook_envelope(R"({"event": "invitee.created", "payload": )");

    ASSERT_FALSE(delivery);
    EXPECT_EQ(delivery.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(delivery.error().code, "invalid_json");
    EXPECT_NE(delivery.error().message.find("not valid JSON"), std::string::npos);
}

TEST(WebhookEnvelope, RejectsABodyThatIsNotAnObject) {
    const auto delivery = parse_webhook_envelope(R"(["invitee.created"])");

    ASSERT_FALSE(delivery);
    EXPECT_EQ(delivery.error().code, "invalid_json");
}

TEST(WebhookEnvelope, RejectsMissingEvent) {
    const auto delivery = parse_webhook_envelope(
        R"({"created_at": "2024-05-01T10:00:00Z", "payload": {"uri": "u"}})");

    ASSERT_FALSE(delivery);
    EXPECT_EQ(delivery.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(delivery.error().code, "invalid_webhook_envelope");
    EXPECT_NE(delivery.error().message.find("\"event\""), std::string::npos);
}

TEST(WebhookEnvelope, RejectsMissingPayload) {
    const auto delivery = parse_webhook_envelope(
        R"({"event": "invitee.created", "created_at": "2024-05-01T10:00:00Z"})");

    ASSERT_FALSE(delivery);
    EXPECT_EQ(delivery.error().code, "invalid_webhook_envelope");
    EXPECT_NE(delivery.error().message.find("\"payload\""), std::string::npos);
}

TEST(WebhookEnvelope, RejectsMissingCreatedAt) {
    const auto delivery =
        parse_webhook_envelope(R"({"event": "invitee.created", "payload": {"uri": "u"}})");

    ASSERT_FALSE(delivery);
    EXPECT_EQ(delivery.error().code, "invalid_webhook_envelope");
    EXPECT_NE(delivery.error().message.find("\"created_at\""), std::string::npos);
}

TEST(WebhookEnvelope, AcceptsAnUnknownEventAndFlagsIt) {
    const auto delivery = parse_webhook_envelope(test::webhook_envelope("meeting.teleported", "u"));

    ASSERT_TRUE(delivery) << delivery.error().message;
    EXPECT_EQ(delivery->event, "meeting.teleported");
    EXPECT_FALSE(delivery->known_event);
}

TEST(WebhookEnvelope, FlagsEveryDocumentedEventAsKnown) {
    for (const auto event : {"invitee.created", "invitee.canceled", "invitee_no_show.created",
                             "invitee_no_show.deleted", "routing_form_submission.created"}) {
        const auto delivery = parse_webhook_envelope(test::webhook_envelope(event, "u"));
        ASSERT_TRUE(delivery) << event;
        EXPECT_TRUE(delivery->known_event) << event;
    }
}

TEST(WebhookEnvelope, RejectsANulInAnIdentityFieldButNotInThePayload) {
    for (const char* body : {
             R"({"event":"invitee.created\u0000x","created_at":"2024-05-01T10:00:00Z","payload":{"uri":"u"}})",
             R"({"event":"invitee.created","created_at":"2024-05-01T10:00:00Z\u0000","payload":{"uri":"u"}})",
             R"({"event":"invitee.created","created_at":"2024-05-01T10:00:00Z","payload":{"uri":"u\u0000v"}})"}) {
        const auto delivery = parse_webhook_envelope(body);
        ASSERT_FALSE(delivery) << body;
        EXPECT_EQ(delivery.error().code, "invalid_webhook_envelope") << body;
        EXPECT_NE(delivery.error().message.find("NUL"), std::string::npos) << body;
    }
    // Elsewhere in the payload a NUL is the sender's business: it is stored escaped, as sent.
    const auto delivery = parse_webhook_envelope(
        R"({"event":"invitee.created","created_at":"2024-05-01T10:00:00Z","payload":{"uri":"u","name":"a\u0000b"}})");
    EXPECT_TRUE(delivery) << delivery.error().message;
}

TEST(WebhookEnvelope, AcceptsAPayloadWithoutUri) {
    const auto delivery = parse_webhook_envelope(
        R"({"event": "invitee.created", "created_at": "2024-05-01T10:00:00Z", "payload": {}})");

    ASSERT_TRUE(delivery) << delivery.error().message;
    EXPECT_EQ(delivery->payload_uri, "");
}

TEST(WebhookEnvelope, RefusesABodyNestedDeeperThanTheLimitBeforeParsingIt) {
    std::string deep = R"({"event":"invitee.created","created_at":"2024-05-01T10:00:00Z","payload":{"uri":"u","x":)";
    deep.append(100'000, '[');
    deep.append(100'000, ']');
    deep += "}}";
    const auto delivery = parse_webhook_envelope(deep);
    ASSERT_FALSE(delivery);
    EXPECT_EQ(delivery.error().code, "too_deeply_nested");
}

TEST(WebhookEnvelope, APayloadWithoutUriIsIdentifiedByItsDigest) {
    const auto a = parse_webhook_envelope(
        R"({"event":"x.y","created_at":"2024-05-01T10:00:00Z","payload":{"id":1,"b":2}})");
    const auto a_reordered = parse_webhook_envelope(
        R"({"payload":{"b":2, "id":1},"created_at":"2024-05-01T10:00:00Z","event":"x.y"})");
    const auto b = parse_webhook_envelope(
        R"({"event":"x.y","created_at":"2024-05-01T10:00:00Z","payload":{"id":2,"b":2}})");
    ASSERT_TRUE(a && a_reordered && b);
    EXPECT_EQ(a->payload_digest.size(), 64u);
    EXPECT_EQ(a->payload_digest, a_reordered->payload_digest) << "a redelivery is the same delivery";
    EXPECT_NE(a->payload_digest, b->payload_digest) << "two deliveries with equal created_at stay two";
}

TEST(WebhookEnvelope, APayloadWithAUriNeedsNoDigest) {
    const auto delivery = parse_webhook_envelope(
        test::webhook_envelope("invitee.created", test::invitee_uri(7), "2024-05-01T10:00:00Z"));
    ASSERT_TRUE(delivery);
    EXPECT_TRUE(delivery->payload_digest.empty());
}

}  // namespace
}  // namespace calrt::store

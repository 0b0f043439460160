#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "calrt/core/base64.hpp"
#include "calrt/phone/webhook_signature.hpp"

namespace calrt::phone {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// The known-answer vector of openai-node's tests/lib/webhooks.test.ts (@7b7d6ca7): a delivery the
// SDK accepts. If this fails, we disagree with OpenAI's own verifier.
const Secret sdk_secret("whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=");
constexpr std::string_view sdk_id = "wh_685c059ae39c8190af8c71ed1022a24d";
constexpr std::string_view sdk_timestamp = "1750861210";
const sys_seconds sdk_now{seconds(1'750'861'210)};
constexpr std::string_view sdk_body =
    R"({"id": "evt_685c059ae3a481909bdc86819b066fb6", "object": "event", "created_at": 1750861210, "type": "response.completed", "data": {"id": "resp_123"}})";
constexpr std::string_view sdk_signature = "v1,gUAg4R2hWouRZqRQG4uJypNS8YK885G838+EHb4nKBY=";

// base64(HMAC-SHA256(key, id.timestamp.body)) with OpenSSL's one-shot HMAC and its own base64,
// independent of the code under test.
std::string independent_signature(std::string_view key, std::string_view id,
                                  std::string_view timestamp, std::string_view body) {
    const std::string message =
        std::string(id) + "." + std::string(timestamp) + "." + std::string(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    unsigned char encoded[64] = {};
    const int encoded_length = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
    return "v1," + std::string(reinterpret_cast<const char*>(encoded),
                               static_cast<std::size_t>(encoded_length));
}

// A secret of our own, its raw key bytes and a delivery signed with it.
const std::string own_key("0123456789abcdef0123456789abcdef", 32);
const Secret own_secret("whsec_" + encode_base64(own_key));
constexpr std::string_view own_id = "wh_test_0001";
const sys_seconds own_time{seconds(1'765'000'000)};
const std::string own_timestamp = std::to_string(own_time.time_since_epoch().count());
const std::string own_body =
    R"({"id":"evt_1","object":"event","created_at":1765000000,"type":"realtime.call.incoming","data":{"call_id":"rtc_1","sip_headers":[]}})";
const std::string own_signature = independent_signature(own_key, own_id, own_timestamp, own_body);

Result<void> verify_own(std::string_view signature, std::string_view body = own_body,
                        sys_seconds now = own_time + 5s) {
    return verify_openai_webhook({own_id, own_timestamp, signature}, body, own_secret, now);
}

void expect_rejected(const Result<void>& result, std::string_view code) {
    ASSERT_FALSE(result) << "expected " << code;
    EXPECT_EQ(result.error().code, code) << result.error().message;
}

TEST(OpenAiWebhookSignature, AcceptsTheSdksKnownAnswerDelivery) {
    const auto result = verify_openai_webhook({sdk_id, sdk_timestamp, sdk_signature}, sdk_body,
                                              sdk_secret, sdk_now);
    EXPECT_TRUE(result) << result.error().message;
}

TEST(OpenAiWebhookSignature, SignReproducesTheSdksKnownAnswer) {
    EXPECT_EQ(sign_openai_webhook(sdk_secret, sdk_id, sdk_timestamp, sdk_body), sdk_signature);
}

TEST(OpenAiWebhookSignature, AcceptsAnIndependentlyComputedSignature) {
    const auto result = verify_own(own_signature);
    EXPECT_TRUE(result) << result.error().message;
}

TEST(OpenAiWebhookSignature, KeyIsTheBase64AfterWhsecNotTheSecretText) {
    // Signed with the secret's text as the key: what a verifier that forgot to decode would accept.
    const std::string wrong =
        independent_signature(own_secret.reveal(), own_id, own_timestamp, own_body);
    expect_rejected(verify_own(wrong), "webhook_signature_mismatch");
}

TEST(OpenAiWebhookSignature, SecretWithoutPrefixIsUsedAsItsBytes) {
    const Secret plain("plain-secret-text");
    const std::string signature =
        independent_signature("plain-secret-text", own_id, own_timestamp, own_body);
    EXPECT_TRUE(
        verify_openai_webhook({own_id, own_timestamp, signature}, own_body, plain, own_time));
}

TEST(OpenAiWebhookSignature, OneMatchAmongSeveralSignaturesIsEnough) {
    const std::string other = independent_signature("another key", own_id, own_timestamp, own_body);
    EXPECT_TRUE(verify_own(other + " " + own_signature));
    EXPECT_TRUE(verify_own(own_signature + " " + other));
}

TEST(OpenAiWebhookSignature, UndecodableEntryDoesNotHideAValidOne) {
    // openai-node "continues past malformed signatures when another signature is valid".
    EXPECT_TRUE(verify_own("v1,not-valid-$$$ " + own_signature));
    expect_rejected(verify_own("v1,not-valid-$$$"), "webhook_signature_mismatch");
}

TEST(OpenAiWebhookSignature, EntriesOfOtherSchemesAreIgnored) {
    const std::string bare = own_signature.substr(3);
    expect_rejected(verify_own("v1a," + bare), "malformed_webhook_signature");
    expect_rejected(verify_own(bare), "malformed_webhook_signature");
    EXPECT_TRUE(verify_own("v1a," + bare + " " + own_signature));
}

TEST(OpenAiWebhookSignature, RejectsATamperedBody) {
    std::string tampered = own_body;
    tampered.replace(tampered.find("rtc_1"), 5, "rtc_2");
    expect_rejected(verify_own(own_signature, tampered), "webhook_signature_mismatch");
}

TEST(OpenAiWebhookSignature, RejectsAnotherIdOrTimestampForTheSameSignature) {
    expect_rejected(verify_openai_webhook({"wh_test_0002", own_timestamp, own_signature}, own_body,
                                          own_secret, own_time),
                    "webhook_signature_mismatch");
    const std::string later = std::to_string(own_time.time_since_epoch().count() + 1);
    expect_rejected(
        verify_openai_webhook({own_id, later, own_signature}, own_body, own_secret, own_time),
        "webhook_signature_mismatch");
}

TEST(OpenAiWebhookSignature, RejectsTimestampsMoreThanFiveMinutesOffEitherWay) {
    EXPECT_TRUE(verify_own(own_signature, own_body, own_time + 300s));
    EXPECT_TRUE(verify_own(own_signature, own_body, own_time - 300s));
    expect_rejected(verify_own(own_signature, own_body, own_time + 301s),
                    "stale_webhook_signature");
    expect_rejected(verify_own(own_signature, own_body, own_time - 301s),
                    "stale_webhook_signature");
}

TEST(OpenAiWebhookSignature, MissingHeadersAreNamed) {
    const auto no_id =
        verify_openai_webhook({"", own_timestamp, own_signature}, own_body, own_secret, own_time);
    expect_rejected(no_id, "missing_webhook_header");
    EXPECT_NE(no_id.error().message.find("webhook-id"), std::string::npos);
    expect_rejected(
        verify_openai_webhook({own_id, "", own_signature}, own_body, own_secret, own_time),
        "missing_webhook_header");
    expect_rejected(
        verify_openai_webhook({own_id, own_timestamp, ""}, own_body, own_secret, own_time),
        "missing_webhook_header");
}

TEST(OpenAiWebhookSignature, RejectsATimestampThatIsNotDigits) {
    for (std::string_view bad : {"1765000000abc", "-1765000000", "1.5", "1234567890123"}) {
        expect_rejected(
            verify_openai_webhook({own_id, bad, own_signature}, own_body, own_secret, own_time),
            "malformed_webhook_signature");
    }
}

TEST(OpenAiWebhookSignature, RejectsAnOversizedSignatureHeader) {
    const std::string huge = own_signature + " " + std::string(5000, 'x');
    expect_rejected(verify_own(huge), "malformed_webhook_signature");
}

TEST(OpenAiWebhookSignature, NoSecretIsNotConfigured) {
    const auto result =
        verify_openai_webhook({own_id, own_timestamp, own_signature}, own_body, Secret(), own_time);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::not_configured);
    EXPECT_EQ(result.error().code, "openai_webhook_secret_missing");
}

TEST(OpenAiWebhookSignature, MalformedWhsecSecretIsRefusedWithoutRevealingIt) {
    const Secret bad("whsec_not*base64");
    const auto key = openai_webhook_key(bad);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().code, "malformed_openai_webhook_secret");
    EXPECT_EQ(key.error().message.find("not*base64"), std::string::npos);
}

TEST(Base64, DecodesOnlyCanonicalPaddedText) {
    EXPECT_EQ(decode_base64("aGk="), std::optional<std::string>("hi"));
    EXPECT_EQ(decode_base64(""), std::optional<std::string>(""));
    EXPECT_FALSE(decode_base64("aGk"));    // not a multiple of four
    EXPECT_FALSE(decode_base64("a=Gk"));   // padding inside
    EXPECT_FALSE(decode_base64("aG\nk"));  // line break
    EXPECT_FALSE(decode_base64("a==="));   // three padding characters
    EXPECT_EQ(encode_base64("hi"), "aGk=");
}

}  // namespace
}  // namespace calrt::phone

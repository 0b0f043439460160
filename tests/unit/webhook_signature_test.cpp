#include "calrt/calendly/webhook_signature.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace calrt::calendly {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const Secret key("whsec-test-signing-key");
const sys_seconds signed_at{seconds(1'714'555'800)};  // 2024-05-01T09:30:00Z
const std::string body =
    R"({"event":"invitee.created","created_at":"2024-05-01T09:29:58.000000Z","payload":{}})";

// The expected v1 value, computed here with OpenSSL's one-shot HMAC rather than the code under
// test: hex(HMAC-SHA256(key, t + "." + body)).
std::string expected_v1(const Secret& signing_key, std::string_view t, std::string_view payload) {
    const std::string message = std::string(t) + "." + std::string(payload);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), signing_key.reveal().data(), static_cast<int>(signing_key.reveal().size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0x0F];
    }
    return out;
}

const std::string t = std::to_string(signed_at.time_since_epoch().count());
const std::string good_v1 = expected_v1(key, t, body);

Result<void> verify(std::string_view header, std::string_view payload = body,
                     sys_seconds now = signed_at + 5s, seconds tolerance = 180s) {
    return verify_webhook_signature(header, payload, key, now, tolerance);
}

void expect_rejected(const Result<void>& result, std::string_view code, std::string_view why) {
    ASSERT_FALSE(result) << why;
    EXPECT_EQ(result.error().code, code) << why << ": " << result.error().message;
}

TEST(WebhookSignature, AcceptsIndependentlyComputedSignature) {
    const auto result = verify("t=" + t + ",v1=" + good_v1);
    EXPECT_TRUE(result) << result.error().message;
}

TEST(WebhookSignature, SignProducesCalendlysHeaderFormat) {
    EXPECT_EQ(sign_webhook_payload(key, signed_at, body), "t=" + t + ",v1=" + good_v1);
}

TEST(WebhookSignature, SignedHeaderVerifies) {
    const std::string binary_body("a\0b\xff", 4);
    const std::string header = sign_webhook_payload(key, signed_at, binary_body);
    EXPECT_TRUE(verify(header, binary_body));
    EXPECT_TRUE(verify(sign_webhook_payload(key, signed_at, ""), ""));
}

TEST(WebhookSignature, AnyOfSeveralV1ValuesMayMatch) {
    const std::string other_v1 = expected_v1(Secret("old-key"), t, body);
    EXPECT_TRUE(verify("t=" + t + ",v1=" + other_v1 + ",v1=" + good_v1));
    EXPECT_TRUE(verify("t=" + t + ",v1=" + good_v1 + ",v1=" + other_v1));
}

TEST(WebhookSignature, PartsMayComeInAnyOrderWithWhitespace) {
    EXPECT_TRUE(verify(" v1=" + good_v1 + " ,\tt=" + t + " "));
    EXPECT_TRUE(verify("t = " + t + " , v1 = " + good_v1));
    EXPECT_TRUE(verify("t=" + t + ",,v1=" + good_v1 + ","));
}

TEST(WebhookSignature, HexCaseDoesNotMatter) {
    std::string upper = good_v1;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(verify("t=" + t + ",v1=" + upper));
}

TEST(WebhookSignature, UnknownSchemesAreIgnored) {
    EXPECT_TRUE(verify("t=" + t + ",v0=not-hex-at-all,v2=whatever,v1=" + good_v1));
}

TEST(WebhookSignature, ChangedBodyDoesNotMatch) {
    expect_rejected(verify("t=" + t + ",v1=" + good_v1, body + " "), "webhook_signature_mismatch",
                    "trailing space");
    expect_rejected(verify("t=" + t + ",v1=" + good_v1, R"({"event": "invitee.created"})"),
                    "webhook_signature_mismatch", "different body");
}

TEST(WebhookSignature, WrongKeyDoesNotMatch) {
    const std::string header = "t=" + t + ",v1=" + expected_v1(Secret("someone-else"), t, body);
    expect_rejected(verify(header), "webhook_signature_mismatch", "other key");
}

TEST(WebhookSignature, TimestampIsPartOfTheSignedText) {
    const std::string later = std::to_string(signed_at.time_since_epoch().count() + 1);
    expect_rejected(verify("t=" + later + ",v1=" + good_v1), "webhook_signature_mismatch",
                    "t changed");
}

TEST(WebhookSignature, StaleOrFutureTimestampsAreRejected) {
    const std::string header = "t=" + t + ",v1=" + good_v1;
    EXPECT_TRUE(verify(header, body, signed_at + 180s));
    EXPECT_TRUE(verify(header, body, signed_at - 180s));
    expect_rejected(verify(header, body, signed_at + 181s), "stale_webhook_signature", "old");
    expect_rejected(verify(header, body, signed_at - 181s), "stale_webhook_signature", "future");
}

TEST(WebhookSignature, ToleranceIsAParameter) {
    const std::string header = "t=" + t + ",v1=" + good_v1;
    expect_rejected(verify(header, body, signed_at + 11s, 10s), "stale_webhook_signature", "10s");
    EXPECT_TRUE(verify(header, body, signed_at + 11s, 3600s));
}

TEST(WebhookSignature, MissingHeaderHasItsOwnCode) {
    expect_rejected(verify(""), "missing_webhook_signature", "empty");
    expect_rejected(verify(" \t "), "missing_webhook_signature", "blank");
    EXPECT_EQ(verify("").error().kind, ErrorKind::unauthenticated);
}

TEST(WebhookSignature, MalformedHeadersAreRejected) {
    const std::vector<std::pair<std::string, const char*>> cases = {
        {"garbage", "no key=value"},
        {"v1=" + good_v1, "no t"},
        {"t=" + t, "no v1"},
        {"t=" + t + ",v1=", "empty v1"},
        {"t=,v1=" + good_v1, "empty t"},
        {"t=abc,v1=" + good_v1, "non-numeric t"},
        {"t=-5,v1=" + good_v1, "negative t"},
        {"t=1234567890123,v1=" + good_v1, "13-digit t"},
        {"t=" + t + ",t=" + t + ",v1=" + good_v1, "duplicate t"},
        {"t=" + t + ",v1=" + good_v1.substr(1), "63 hex digits"},
        {"t=" + t + ",v1=" + good_v1 + "00", "66 hex digits"},
        {"t=" + t + ",v1=" + std::string(64, 'g'), "non-hex"},
        {"t=" + t + ",v1=" + good_v1 + ",v1=zz", "one bad v1 among good"},
        {"t=" + t + ",v1=" + good_v1 + "," + std::string(5000, 'x'), "huge"},
    };
    for (const auto& [header, why] : cases) {
        expect_rejected(verify(header), "malformed_webhook_signature", why);
    }
}

TEST(WebhookSignature, EmptyKeyIsNotConfigured) {
    const auto result =
        verify_webhook_signature("t=" + t + ",v1=" + good_v1, body, Secret(), signed_at, 180s);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::not_configured);
    EXPECT_EQ(result.error().code, "webhook_secret_missing");
}

TEST(WebhookSignature, ErrorsDoNotEchoTheHeaderOrKey) {
    const auto result = verify("t=" + t + ",v1=" + std::string(64, 'a'));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message.find(std::string(64, 'a')), std::string::npos);
    EXPECT_EQ(result.error().message.find(key.reveal()), std::string::npos);
}

// Before the body arrives (review item N1): what the header alone can show.
std::string header_check_code(std::string_view header, sys_seconds now = signed_at + 5s) {
    const auto result = check_webhook_signature_header(header, now, 180s);
    return result ? "ok" : result.error().code;
}

TEST(WebhookSignatureHeader, AWellFormedFreshHeaderPassesWhateverItsSignature) {
    EXPECT_EQ(header_check_code("t=" + t + ",v1=" + good_v1), "ok");
    EXPECT_EQ(header_check_code("t=" + t + ",v1=" + std::string(64, '0')), "ok") << "the body decides that";
    EXPECT_EQ(header_check_code("t=" + t + ",v1=" + good_v1, signed_at + 180s), "ok");
    EXPECT_EQ(header_check_code("t=" + t + ",v1=" + good_v1, signed_at - 180s), "ok");
}

TEST(WebhookSignatureHeader, MissingMalformedOrStaleHeadersFailWithTheVerifiersCodes) {
    EXPECT_EQ(header_check_code(""), "missing_webhook_signature");
    EXPECT_EQ(header_check_code("  "), "missing_webhook_signature");
    EXPECT_EQ(header_check_code("t=" + t), "malformed_webhook_signature");
    EXPECT_EQ(header_check_code("v1=" + good_v1), "malformed_webhook_signature");
    EXPECT_EQ(header_check_code("t=" + t + ",v1=abc"), "malformed_webhook_signature");
    EXPECT_EQ(header_check_code("t=" + t + ",v1=" + good_v1, signed_at + 181s), "stale_webhook_signature");
    EXPECT_EQ(header_check_code("t=" + t + ",v1=" + good_v1, signed_at - 181s), "stale_webhook_signature");
    const auto result = check_webhook_signature_header("", signed_at, 180s);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::unauthenticated);
}

}  // namespace
}  // namespace calrt::calendly

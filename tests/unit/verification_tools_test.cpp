// send_verification_code and check_verification_code: the code reaches the person through the
// deliverer and never the model; a proven address is bound to the conversation.
#include "calrt/tools/verification_tools.hpp"

#include <gtest/gtest.h>

#include "calrt/core/logging.hpp"
#include "support/io_threads.hpp"

namespace calrt::tools {
namespace {

using nlohmann::json;

struct Outbox {
    std::vector<CodeDelivery> sent;
    bool fail = false;
};

Result<void> record(Outbox* outbox, CodeDelivery delivery) {
    if (outbox->fail) return Error::make(ErrorKind::upstream_failed, "mail_failed", "refused");
    outbox->sent.push_back(std::move(delivery));
    return {};
}

// One co_return (GCC 12 with sanitizers: see relay_session.cpp's show_code_in_sandbox).
boost::asio::awaitable<Result<void>> deliver_to(Outbox* outbox, CodeDelivery delivery) {
    co_return record(outbox, std::move(delivery));
}

class VerificationToolsTest : public ::testing::Test {
  protected:
    VerificationToolsTest() {
        log::configure("warn", "text");
        context->deliver = [this](CodeDelivery delivery) { return deliver_to(&outbox, std::move(delivery)); };
    }
    ~VerificationToolsTest() override { io.stop(); }

    json send(const json& arguments) { return io.run(send_verification_code(*context, arguments)); }
    json check(const json& arguments) { return io.run(check_verification_code(*context, arguments)); }

    test::IoThreads io;
    MetricsRegistry metrics;
    ManualClock clock{Timestamp(std::chrono::milliseconds(1'800'000'000'000))};
    identity::VerificationCodes codes{identity::CodePolicy{}, clock};
    Outbox outbox;
    std::shared_ptr<VerificationToolContext> context = std::make_shared<VerificationToolContext>(
        VerificationToolContext{codes, {}, {}, "conversation-1", "198.51.100.1", &metrics});
};

TEST_F(VerificationToolsTest, TheCodeGoesToTheDelivererAndNeverIntoTheResult) {
    const json result = send({{"email", "Ada@Example.com"}});
    ASSERT_EQ(result.value("sent", false), true) << result.dump();
    ASSERT_EQ(outbox.sent.size(), 1u);
    EXPECT_EQ(outbox.sent[0].email, "Ada@Example.com");
    EXPECT_EQ(outbox.sent[0].valid_for, std::chrono::minutes(10));
    EXPECT_EQ(result.dump().find(outbox.sent[0].code), std::string::npos);
    EXPECT_EQ(result["expires_in_minutes"], 10);
}

TEST_F(VerificationToolsTest, TheRightCodeVerifiesTheEmailForThisConversation) {
    send({{"email", "ada@example.com"}});
    ASSERT_EQ(outbox.sent.size(), 1u);
    const json result = check({{"email", "ada@example.com"}, {"code", outbox.sent[0].code}});
    EXPECT_EQ(result.value("verified", false), true) << result.dump();
    EXPECT_TRUE(codes.is_verified("conversation-1", "ada@example.com"));
    EXPECT_FALSE(codes.is_verified("conversation-2", "ada@example.com"));
    EXPECT_NE(metrics.render().find(R"(calrt_verification_checks_total{outcome="verified"} 1)"), std::string::npos);
}

TEST_F(VerificationToolsTest, AWrongCodeSaysHowManyAttemptsAreLeft) {
    send({{"email", "ada@example.com"}});
    std::string wrong = outbox.sent.at(0).code;
    wrong[5] = wrong[5] == '0' ? '1' : '0';
    const json result = check({{"email", "ada@example.com"}, {"code", wrong}});
    EXPECT_EQ(result["error"]["code"], "wrong_code");
    EXPECT_NE(result["error"]["message"].get<std::string>().find("4 attempts are left"), std::string::npos);
    EXPECT_FALSE(codes.is_verified("conversation-1", "ada@example.com"));
}

TEST_F(VerificationToolsTest, ACodeThatWasNeverSentOrIsUsedUpIsRefused) {
    EXPECT_EQ(check({{"email", "ada@example.com"}, {"code", "123456"}})["error"]["code"], "no_code_sent");
    send({{"email", "ada@example.com"}});
    const std::string code = outbox.sent.at(0).code;
    check({{"email", "ada@example.com"}, {"code", code}});
    EXPECT_EQ(check({{"email", "ada@example.com"}, {"code", code}})["error"]["code"], "code_no_longer_valid");
}

TEST_F(VerificationToolsTest, AFailedDeliveryIsSaidPlainlyAndCounted) {
    outbox.fail = true;
    const json result = send({{"email", "ada@example.com"}});
    EXPECT_EQ(result["error"]["code"], "code_not_sent");
    EXPECT_NE(result["error"]["message"].get<std::string>().find("I could not send the code"), std::string::npos);
    EXPECT_NE(metrics.render().find(R"(calrt_verification_codes_total{outcome="send_failed"} 1)"), std::string::npos);
}

TEST_F(VerificationToolsTest, WithoutADelivererTheFeatureSaysItIsUnavailable) {
    context->deliver = {};
    context->unavailable_reason = "no SMTP_URL is configured";
    const json result = send({{"email", "ada@example.com"}});
    EXPECT_EQ(result["error"]["code"], "self_service_unavailable");
    EXPECT_NE(result["error"]["message"].get<std::string>().find("no SMTP_URL"), std::string::npos);
    EXPECT_TRUE(outbox.sent.empty());
}

TEST_F(VerificationToolsTest, SendingIsLimitedPerEmail) {
    for (int i = 0; i < 3; ++i) send({{"email", "ada@example.com"}});
    const json result = send({{"email", "ada@example.com"}});
    EXPECT_EQ(result["error"]["code"], "verification_send_limit");
    EXPECT_EQ(outbox.sent.size(), 3u);
}

TEST_F(VerificationToolsTest, AnAddressThatIsNotAnEmailSendsNothing) {
    EXPECT_EQ(send({{"email", "not an email"}})["error"]["code"], "invalid_email");
    EXPECT_TRUE(outbox.sent.empty());
}

TEST_F(VerificationToolsTest, SendingIsAToolWithAnEffectAndCheckingIsNot) {
    EXPECT_TRUE(send_verification_code_spec().has_effect);
    EXPECT_FALSE(check_verification_code_spec().has_effect);
}

}  // namespace
}  // namespace calrt::tools

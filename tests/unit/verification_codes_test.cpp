// One-time codes that prove an email address for one conversation: six digits, 10 minutes, five
// attempts, single use, kept only as a keyed hash, and limited per email, address and conversation.
#include "calrt/identity/verification_codes.hpp"

#include <gtest/gtest.h>

#include <set>

namespace calrt::identity {
namespace {

using namespace std::chrono_literals;

class VerificationCodesTest : public ::testing::Test {
  protected:
    std::string issue(std::string_view conversation = "c1", std::string_view email = "ada@example.com",
                      std::string_view address = "198.51.100.1") {
        auto issued = codes.issue(conversation, email, address);
        EXPECT_TRUE(issued) << issued.error().message;
        return issued ? issued->code : std::string{};
    }
    static std::string wrong_code(const std::string& code) {
        std::string wrong = code;
        wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
        return wrong;
    }

    ManualClock clock{Timestamp(std::chrono::milliseconds(1'800'000'000'000))};
    VerificationCodes codes{CodePolicy{}, clock};
};

TEST_F(VerificationCodesTest, ACodeIsSixDigitsAndLivesTenMinutes) {
    const auto issued = codes.issue("c1", "ada@example.com", "198.51.100.1");
    ASSERT_TRUE(issued);
    ASSERT_EQ(issued->code.size(), 6u);
    EXPECT_EQ(issued->code.find_first_not_of("0123456789"), std::string::npos);
    EXPECT_EQ(issued->expires_at, clock.now() + 10min);
}

TEST_F(VerificationCodesTest, TheRightCodeProvesTheAddressForThatConversationOnly) {
    const std::string code = issue();
    EXPECT_FALSE(codes.is_verified("c1", "ada@example.com"));
    EXPECT_EQ(codes.check("c1", "ADA@example.com", code), CodeCheck::verified);
    EXPECT_TRUE(codes.is_verified("c1", "ada@EXAMPLE.com"));
    EXPECT_FALSE(codes.is_verified("c2", "ada@example.com"));
    EXPECT_FALSE(codes.is_verified("c1", "bob@example.com"));
}

TEST_F(VerificationCodesTest, SpokenSpacingAndDashesAreIgnored) {
    const std::string code = issue();
    EXPECT_EQ(codes.check("c1", "ada@example.com", " " + code.substr(0, 3) + "-" + code.substr(3) + " "),
              CodeCheck::verified);
}

TEST_F(VerificationCodesTest, ACodeWorksOnce) {
    const std::string code = issue();
    EXPECT_EQ(codes.check("c1", "ada@example.com", code), CodeCheck::verified);
    EXPECT_EQ(codes.check("c1", "ada@example.com", code), CodeCheck::no_longer_valid);
}

TEST_F(VerificationCodesTest, ACodeFromAnotherConversationDoesNotWork) {
    const std::string code = issue("c1");
    EXPECT_EQ(codes.check("c2", "ada@example.com", code), CodeCheck::never_sent);
    EXPECT_FALSE(codes.is_verified("c2", "ada@example.com"));
}

TEST_F(VerificationCodesTest, AnExpiredCodeFails) {
    const std::string code = issue();
    clock.advance(10min);
    EXPECT_EQ(codes.check("c1", "ada@example.com", code), CodeCheck::no_longer_valid);
    EXPECT_FALSE(codes.is_verified("c1", "ada@example.com"));
}

TEST_F(VerificationCodesTest, FiveWrongAttemptsEndTheCodeEvenForTheRightOneAfter) {
    const std::string code = issue();
    for (int attempt = 1; attempt < 5; ++attempt) {
        EXPECT_EQ(codes.check("c1", "ada@example.com", wrong_code(code)), CodeCheck::wrong) << attempt;
        EXPECT_EQ(codes.attempts_left("c1", "ada@example.com"), 5u - attempt);
    }
    EXPECT_EQ(codes.check("c1", "ada@example.com", "not a code"), CodeCheck::no_longer_valid);
    EXPECT_EQ(codes.check("c1", "ada@example.com", code), CodeCheck::no_longer_valid);
    EXPECT_FALSE(codes.is_verified("c1", "ada@example.com"));
}

TEST_F(VerificationCodesTest, ANewCodeReplacesTheOldOne) {
    const std::string first = issue();
    std::string second = issue();
    while (second == first) second = issue("c1", "ada@example.com", "198.51.100.2");  // one in a million
    EXPECT_EQ(codes.check("c1", "ada@example.com", first), CodeCheck::wrong);
    EXPECT_EQ(codes.check("c1", "ada@example.com", second), CodeCheck::verified);
}

TEST_F(VerificationCodesTest, ThreeCodesPerEmailPerHourWhateverTheConversation) {
    issue("c1");
    issue("c2");
    issue("c3", "ADA@example.com");
    const auto refused = codes.issue("c4", "ada@example.com", "198.51.100.9");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "verification_send_limit");
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    ASSERT_TRUE(refused.error().retry_after);
    EXPECT_EQ(*refused.error().retry_after, 3600s);
    EXPECT_TRUE(codes.issue("c4", "bob@example.com", "198.51.100.9"));
    clock.advance(1h);
    EXPECT_TRUE(codes.issue("c4", "ada@example.com", "198.51.100.9"));
}

TEST_F(VerificationCodesTest, TenCodesPerAddressPerHour) {
    for (int i = 0; i < 10; ++i) issue("c" + std::to_string(i), "p" + std::to_string(i) + "@example.com");
    const auto refused = codes.issue("c10", "p10@example.com", "198.51.100.1");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "verification_send_limit");
    EXPECT_TRUE(codes.issue("c10", "p10@example.com", "198.51.100.2"));
}

TEST_F(VerificationCodesTest, FiveCodesPerConversation) {
    for (int i = 0; i < 5; ++i) {
        issue("c1", "p" + std::to_string(i) + "@example.com", "198.51.100." + std::to_string(i));
    }
    const auto refused = codes.issue("c1", "p5@example.com", "198.51.100.5");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "verification_send_limit");
    EXPECT_FALSE(refused.error().retry_after);  // waiting does not help
}

TEST_F(VerificationCodesTest, EndingTheConversationForgetsItsProofAndCodes) {
    const std::string code = issue();
    codes.end_conversation("c1");
    EXPECT_EQ(codes.check("c1", "ada@example.com", code), CodeCheck::never_sent);
    const std::string again = issue();
    EXPECT_EQ(codes.check("c1", "ada@example.com", again), CodeCheck::verified);
    codes.end_conversation("c1");
    EXPECT_FALSE(codes.is_verified("c1", "ada@example.com"));
}

TEST_F(VerificationCodesTest, PendingCodesAreBounded) {
    VerificationCodes small{CodePolicy{.max_pending = 2}, clock};
    ASSERT_TRUE(small.issue("c1", "a@example.com", "198.51.100.1"));
    ASSERT_TRUE(small.issue("c2", "b@example.com", "198.51.100.2"));
    const auto refused = small.issue("c3", "c@example.com", "198.51.100.3");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "verification_busy");
    clock.advance(10min);  // the two expire and make room
    EXPECT_TRUE(small.issue("c3", "c@example.com", "198.51.100.3"));
}

TEST_F(VerificationCodesTest, CodesAreSpreadOverTheWholeRange) {
    // Not a statistical test of RAND_bytes: it catches a code that is always the same or always
    // short of six significant digits.
    std::set<std::string> seen;
    bool leading_digit_varies = false;
    for (int i = 0; i < 200; ++i) {
        VerificationCodes fresh{CodePolicy{}, clock};
        const auto issued = fresh.issue("c", "a@example.com", "");
        ASSERT_TRUE(issued);
        if (!seen.empty() && issued->code[0] != seen.begin()->at(0)) leading_digit_varies = true;
        seen.insert(issued->code);
    }
    EXPECT_GT(seen.size(), 190u);
    EXPECT_TRUE(leading_digit_varies);
}

}  // namespace
}  // namespace calrt::identity

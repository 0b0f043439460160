#include "calrt/server/admin_auth.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

Request with_authorization(std::string value) {
    Request request;
    if (!value.empty()) request.headers.emplace_back("Authorization", std::move(value));
    return request;
}

TEST(AdminAuth, UnconfiguredTokenAnswers503SayingHowToSetIt) {
    auto result = check_admin(with_authorization("Bearer x"), Secret{});
    ASSERT_FALSE(result);
    EXPECT_EQ(http_status_of(result.error().kind), 503u);
    EXPECT_NE(result.error().message.find("API_ADMIN_TOKEN"), std::string::npos);
}

TEST(AdminAuth, MissingOrNonBearerHeaderAnswers401) {
    const Secret token("s3cret");
    EXPECT_EQ(http_status_of(check_admin(with_authorization(""), token).error().kind), 401u);
    EXPECT_EQ(http_status_of(check_admin(with_authorization("Basic czNjcmV0"), token).error().kind), 401u);
    EXPECT_EQ(http_status_of(check_admin(with_authorization("Bearer "), token).error().kind), 401u);
}

TEST(AdminAuth, WrongTokenAnswers403WithoutEchoingIt) {
    auto result = check_admin(with_authorization("Bearer s3creT"), Secret("s3cret"));
    ASSERT_FALSE(result);
    EXPECT_EQ(http_status_of(result.error().kind), 403u);
    EXPECT_EQ(result.error().message.find("s3cre"), std::string::npos);
}

TEST(AdminAuth, RightTokenPassesWithAnyCaseScheme) {
    EXPECT_TRUE(check_admin(with_authorization("Bearer s3cret"), Secret("s3cret")));
    EXPECT_TRUE(check_admin(with_authorization("bearer s3cret"), Secret("s3cret")));
}

}  // namespace
}  // namespace calrt::server

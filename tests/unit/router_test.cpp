#include "calrt/server/router.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

Handler ok() {
    return sync_handler([](Request&) { return Response{}; });
}

TEST(Router, FindsRouteByMethodAndPath) {
    Router router;
    router.get("/a", ok());
    router.post("/a", ok());
    auto match = router.match("POST", "/a");
    ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
    EXPECT_EQ(match.route->method, "POST");
    EXPECT_EQ(match.metric_label(), "/a");
}

TEST(Router, UnknownPathIsNotFound) {
    Router router;
    router.get("/a", ok());
    EXPECT_EQ(router.match("GET", "/b").outcome, RouteMatch::Outcome::not_found);
}

TEST(Router, WrongMethodListsAllowedMethods) {
    Router router;
    router.get("/a", ok());
    router.post("/a", ok());
    auto match = router.match("DELETE", "/a");
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::method_not_allowed);
    EXPECT_EQ(match.allow, "GET, HEAD, POST");
}

TEST(Router, HeadIsAnsweredByTheGetRoute) {
    Router router;
    router.get("/a", ok());
    EXPECT_EQ(router.match("HEAD", "/a").outcome, RouteMatch::Outcome::found);
}

TEST(Router, FallbackServesOnlyGetOfUnknownPaths) {
    Router router;
    router.post("/api", ok());
    router.fallback_get(ok());
    EXPECT_EQ(router.match("GET", "/index.html").outcome, RouteMatch::Outcome::found);
    EXPECT_EQ(router.match("GET", "/index.html").metric_label(), "static");
    EXPECT_EQ(router.match("POST", "/index.html").outcome, RouteMatch::Outcome::not_found);
    // A named path keeps its own 405 even with a fallback.
    EXPECT_EQ(router.match("GET", "/api").outcome, RouteMatch::Outcome::method_not_allowed);
}

TEST(Router, CapturesNamedSegments) {
    Router router;
    router.get("/scheduled_events/{uuid}/invitees", ok());
    auto match = router.match("GET", "/scheduled_events/ABC123/invitees");
    ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
    ASSERT_EQ(match.path_params.size(), 1u);
    EXPECT_EQ(match.path_params[0].first, "uuid");
    EXPECT_EQ(match.path_params[0].second, "ABC123");
}

TEST(Router, CapturesSeveralNamedSegments) {
    Router router;
    router.get("/d/{link}/{slug}", ok());
    auto match = router.match("GET", "/d/abcd-brv8/30min");
    ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
    ASSERT_EQ(match.path_params.size(), 2u);
    EXPECT_EQ(match.path_params[0], (std::pair<std::string, std::string>{"link", "abcd-brv8"}));
    EXPECT_EQ(match.path_params[1], (std::pair<std::string, std::string>{"slug", "30min"}));
}

TEST(Router, NamedSegmentMatchesExactlyOneNonEmptySegment) {
    Router router;
    router.get("/event_types/{uuid}", ok());
    EXPECT_EQ(router.match("GET", "/event_types/").outcome, RouteMatch::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "/event_types").outcome, RouteMatch::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "/event_types/a/b").outcome, RouteMatch::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "/event_types/a/").outcome, RouteMatch::Outcome::not_found);
    EXPECT_EQ(router.match("GET", "/other/a").outcome, RouteMatch::Outcome::not_found);
}

TEST(Router, ExactRouteWinsOverNamedSegment) {
    Router router;
    router.get("/users/{uuid}", ok());
    router.get("/users/me", ok());
    auto match = router.match("GET", "/users/me");
    ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
    EXPECT_EQ(match.route->path, "/users/me");
    EXPECT_TRUE(match.path_params.empty());
    EXPECT_EQ(router.match("GET", "/users/U1").route->path, "/users/{uuid}");
}

TEST(Router, WrongMethodOnNamedRouteListsAllowedMethods) {
    Router router;
    router.get("/webhook_subscriptions/{uuid}", ok());
    router.add("DELETE", "/webhook_subscriptions/{uuid}", ok());
    auto match = router.match("POST", "/webhook_subscriptions/W1");
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::method_not_allowed);
    EXPECT_EQ(match.allow, "GET, HEAD, DELETE");
    EXPECT_EQ(router.match("DELETE", "/webhook_subscriptions/W1").outcome, RouteMatch::Outcome::found);
}

TEST(Router, MetricLabelOfNamedRouteIsItsPattern) {
    Router router;
    router.get("/event_types/{uuid}", ok());
    EXPECT_EQ(router.match("GET", "/event_types/ET1").metric_label(), "/event_types/{uuid}");
}

TEST(Request, PathParamFindsCapturedValue) {
    Request request;
    request.path_params = {{"uuid", "E1"}};
    EXPECT_EQ(request.path_param("uuid"), "E1");
    EXPECT_FALSE(request.path_param("other").has_value());
}

}  // namespace
}  // namespace calrt::server

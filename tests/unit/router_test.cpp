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

}  // namespace
}  // namespace calrt::server

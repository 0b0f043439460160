// The chat page's files (web/) as the server sends them: every one carries the headers that keep
// other sites from framing the page and limit what it may load (review L12). The browser test
// (tests/browser) checks that the page still works under this policy.
#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <filesystem>
#include <string>

#include "calrt/server/router.hpp"
#include "calrt/server/static_files.hpp"
#include "support/http_test_client.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

class ChatPageHeadersTest : public ::testing::Test {
  protected:
    ChatPageHeadersTest() {
        server.router.fallback_get(sync_handler([this](Request& r) { return files.serve(r); }));
        server.start();
    }

    StaticFiles files{std::filesystem::path(CALRT_SOURCE_DIR) / "web"};
    test::RunningServer server;
};

TEST_F(ChatPageHeadersTest, EveryPageFileForbidsFramingAndForeignContent) {
    for (const char* target : {"/", "/app.js", "/pcm16_capture_worklet.js", "/style.css"}) {
        const auto response = test::http_request(server.port(), "GET", target);
        ASSERT_EQ(response.result_int(), 200u) << target;
        const std::string policy(response["Content-Security-Policy"]);
        for (const char* directive :
             {"default-src 'self'", "script-src 'self'", "connect-src 'self'", "object-src 'none'",
              "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"}) {
            EXPECT_NE(policy.find(directive), std::string::npos) << target << ": " << policy;
        }
        EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
        EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << policy;
        EXPECT_EQ(response["X-Frame-Options"], "DENY") << target;
        EXPECT_EQ(response["X-Content-Type-Options"], "nosniff") << target;
        EXPECT_EQ(response["Referrer-Policy"], "no-referrer") << target;
    }
}

}  // namespace
}  // namespace calrt::server

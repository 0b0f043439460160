#pragma once
// /api/calendly over a real socket, the Calendly client talking to the fake Calendly over HTTP: the
// fixture shared by the route tests.
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/tools/booking_caps.hpp"
#include "calrt/server/calendly_routes.hpp"
#include "support/http_test_client.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/running_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt::server::test_support {

using nlohmann::json;
using namespace std::chrono_literals;

inline constexpr std::string_view kAdmin = "the-admin-token";

class CalendlyRoutesTest : public ::testing::Test {
protected:
    void start(std::string admin_token = std::string(kAdmin), double per_minute = 600, double burst = 100) {
        calendly::CalendlyClientOptions options;
        options.base_url = fake->base_url();
        options.access_token = Secret(fake->access_token());
        options.http.request_timeout = 300ms;
        options.retry.base_delay = 1ms;
        options.retry.max_backoff = 5ms;
        options.retry.deadline = 1s;
        client_ = std::make_unique<calendly::CalendlyClient>(server.io.get_executor(), options, server.metrics, clock);
        limiter_ = std::make_unique<RateLimiter>(per_minute, burst);
        context_ = std::make_unique<CalendlyRouteContext>(*client_, "https://calendly.com/fallback/30min",
                                                          Secret(std::move(admin_token)), *limiter_, zones, clock);
        add_calendly_routes(server.router, *context_);
        server.start();
    }

    test::HttpResponse get(const std::string& query, std::string token = "") {
        std::vector<std::pair<std::string, std::string>> headers;
        if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
        return test::http_request(server.port(), "GET", "/api/calendly?" + query, headers);
    }
    test::HttpResponse post(const json& body, std::string token = "") {
        std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
        if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
        return test::http_request(server.port(), "POST", "/api/calendly", headers, body.dump());
    }
    static json body(const test::HttpResponse& r) { return json::parse(r.body()); }
    static void expect_error(const test::HttpResponse& r, unsigned status, std::string_view code) {
        EXPECT_EQ(r.result_int(), status) << r.body();
        auto b = json::parse(r.body(), nullptr, false);
        ASSERT_TRUE(b.contains("error")) << r.body();
        EXPECT_EQ(b["error"]["code"], code) << r.body();
    }
    std::string first_event_type_uuid() { return *calendly::uuid_from_uri(fake->active_event_type_uris().front()); }
    std::string window(int from_day, int days) {
        const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        auto text = [](std::chrono::sys_days d) {
            return format_rfc3339(Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(d.time_since_epoch())));
        };
        return "start_time=" + text(day + std::chrono::days(from_day)) +
               "&end_time=" + text(day + std::chrono::days(from_day + days));
    }

    test::RunningFakeCalendly fake;
    SystemClock clock;
    TimeZoneCache zones;
    test::RunningServer server;
    std::unique_ptr<calendly::CalendlyClient> client_;
    std::unique_ptr<RateLimiter> limiter_;
    std::unique_ptr<RateLimiter> read_limiter_;
    std::unique_ptr<CalendlyRouteContext> context_;
};

}  // namespace calrt::server::test_support

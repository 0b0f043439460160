// The service binary against a Calendly whose plan refuses booking through the API (403): the
// booking says so with its own code, and /readyz says that direct booking is off while the service
// stays ready (reads and single-use links still work).
#include "calrt/core/time.hpp"
#include "support/child_process.hpp"
#include "support/http_test_client.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace calrt {
namespace {

using nlohmann::json;

std::uint16_t port_from(const std::string& listening_line) {
    return static_cast<std::uint16_t>(std::stoi(listening_line.substr(listening_line.find("port=") + 5)));
}

TEST(ServiceBookingPlanProcess, PlanWithoutTheSchedulingApiShowsInReadyzAndTheBookingAnswer) {
    testing::FakeCalendlyOptions options;
    options.plan = testing::FakePlan::without_scheduling_api;
    test::RunningFakeCalendly fake(options);
    test::TempDir dir;
    test::ChildProcess service(CALRT_BINARY, {"--host", "127.0.0.1"},
                               {{"PORT", "0"},
                                {"DATA_DIR", (dir.path() / "data").string()},
                                {"WEB_ROOT", std::string(CALRT_SOURCE_DIR) + "/web"},
                                {"CALENDLY_API_KEY", fake->access_token()},
                                {"CALENDLY_API_BASE_URL", fake->base_url()}},
                               dir.path().string());
    const auto listening = service.wait_for_line("listening");
    ASSERT_TRUE(listening) << service.drain_stderr();
    const auto port = port_from(*listening);

    auto ready = test::http_request(port, "GET", "/readyz");
    const json before = json::parse(ready.body(), nullptr, false);
    ASSERT_TRUE(before.contains("checks")) << ready.body();
    EXPECT_EQ(before["checks"]["bookings"]["detail"], "direct booking through Calendly's API");

    const std::string type_uri = fake->active_event_type_uris().front();
    const std::string uuid = type_uri.substr(type_uri.rfind('/') + 1);
    const Timestamp now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto slots = test::http_request(port, "GET",
                                    "/api/calendly?action=availability&event_type=" + uuid + "&start_time=" +
                                        format_calendly_time(now + std::chrono::hours(1)) + "&end_time=" +
                                        format_calendly_time(now + std::chrono::hours(24 * 7)));
    const json available = json::parse(slots.body(), nullptr, false);
    ASSERT_TRUE(available.contains("available_times") && !available["available_times"].empty()) << slots.body();
    const json booking = {{"action", "book"},
                          {"event_type", uuid},
                          {"start_time", available["available_times"][0]["start_time"]},
                          {"name", "Ada Lovelace"},
                          {"email", "ada@example.com"},
                          {"timezone", "Europe/London"}};
    auto refused = test::http_request(port, "POST", "/api/calendly", {{"Content-Type", "application/json"}},
                                      booking.dump());
    EXPECT_EQ(refused.result_int(), 503u) << refused.body();
    EXPECT_EQ(json::parse(refused.body(), nullptr, false)["error"]["code"], "calendly_plan_required")
        << refused.body();

    ready = test::http_request(port, "GET", "/readyz");
    EXPECT_EQ(ready.result_int(), 200u) << ready.body();  // reads and links still work
    const json after = json::parse(ready.body(), nullptr, false);
    const std::string detail = after["checks"]["bookings"].value("detail", "");
    EXPECT_NE(detail.find("direct booking is off"), std::string::npos) << detail;
    EXPECT_NE(detail.find("single-use links"), std::string::npos) << detail;
    // The token never shows.
    EXPECT_EQ(ready.body().find(fake->access_token()), std::string::npos);
}

}  // namespace
}  // namespace calrt

// POST /api/calendly {"action":"book"} with the location and answers real event types need, over
// a real socket to the fake Calendly seeded with each location kind; and the per-address and
// per-email daily booking caps.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/tools/booking_caps.hpp"
#include "calrt/server/calendly_routes.hpp"
#include "support/http_test_client.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/running_server.hpp"

namespace calrt::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

testing::FakeCalendlyOptions varied_types() {
    testing::FakeCalendlyOptions options;
    options.varied_event_types = true;
    return options;
}

class BookingDetailsRoutesTest : public ::testing::Test {
  protected:
    void start(std::size_t per_address = 0, std::size_t per_email = 0) {
        calendly::CalendlyClientOptions options;
        options.base_url = fake->base_url();
        options.access_token = Secret(fake->access_token());
        options.http.request_timeout = 2s;
        options.retry.base_delay = 1ms;
        options.retry.max_backoff = 5ms;
        options.retry.deadline = 3s;
        client_ = std::make_unique<calendly::CalendlyClient>(server.io.get_executor(), options,
                                                             server.metrics, clock);
        limiter_ = std::make_unique<RateLimiter>(600, 100);
        caps_ = std::make_unique<tools::BookingCaps>(
            tools::BookingCapLimits{.bookings_per_day = 100,
                                    .links_per_day = 100,
                                    .bookings_per_address_per_day = per_address,
                                    .bookings_per_email_per_day = per_email},
            clock);
        context_ = std::make_unique<CalendlyRouteContext>(
            *client_, "https://calendly.com/fallback/30min", Secret(std::string("admin")),
            *limiter_, zones, clock);
        context_->booking_caps = caps_.get();
        add_calendly_routes(server.router, *context_);
        server.start();
    }

    std::string uuid_of(std::string_view slug) {
        return *calendly::uuid_from_uri(fake->event_type_uri(slug));
    }

    std::vector<std::string> open_starts(std::string_view slug) {
        const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
        auto text = [](std::chrono::sys_days d) {
            return format_rfc3339(Timestamp(
                std::chrono::duration_cast<std::chrono::milliseconds>(d.time_since_epoch())));
        };
        auto r =
            test::http_request(server.port(), "GET",
                               "/api/calendly?action=availability&event_type=" + uuid_of(slug) +
                                   "&start_time=" + text(day + std::chrono::days(1)) +
                                   "&end_time=" + text(day + std::chrono::days(8)));
        EXPECT_EQ(r.result_int(), 200u) << r.body();
        const json answer = json::parse(r.body());
        if (!answer.contains("available_times") || answer["available_times"].empty())
            ADD_FAILURE() << r.body();
        std::vector<std::string> starts;
        for (const auto& slot : answer["available_times"]) starts.push_back(slot["start_time"]);
        return starts;
    }

    json booking(std::string_view slug, const std::string& start,
                 std::string email = "ada@example.com") {
        return {{"action", "book"},          {"event_type", uuid_of(slug)},
                {"start_time", start},       {"name", "Ada Lovelace"},
                {"email", std::move(email)}, {"timezone", "Europe/London"}};
    }
    test::HttpResponse post(const json& body) {
        return test::http_request(server.port(), "POST", "/api/calendly",
                                  {{"Content-Type", "application/json"}}, body.dump());
    }
    static json error_of(const test::HttpResponse& r) { return json::parse(r.body())["error"]; }

    test::RunningFakeCalendly fake{varied_types()};
    SystemClock clock;
    TimeZoneCache zones;
    test::RunningServer server;
    std::unique_ptr<calendly::CalendlyClient> client_;
    std::unique_ptr<RateLimiter> limiter_;
    std::unique_ptr<tools::BookingCaps> caps_;
    std::unique_ptr<CalendlyRouteContext> context_;
};

TEST_F(BookingDetailsRoutesTest, PhoneCallWithoutAPhoneIs400AndNeverReachesCalendly) {
    start();
    const auto starts = open_starts("phone-call");
    ASSERT_FALSE(starts.empty());
    auto r = post(booking("phone-call", starts[0]));
    ASSERT_EQ(r.result_int(), 400u) << r.body();
    const auto error = error_of(r);
    EXPECT_EQ(error["code"], "booking_details_required");
    EXPECT_NE(error["message"].get<std::string>().find("phone number"), std::string::npos);
    EXPECT_EQ(error["details"][0]["parameter"], "location.phone_number");
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(BookingDetailsRoutesTest, PhoneNotInE164Is400InvalidBookingDetails) {
    start();
    auto body = booking("phone-call", open_starts("phone-call").at(0));
    body["location"] = {{"kind", "outbound_call"}, {"phone_number", "555 0100"}};
    auto r = post(body);
    ASSERT_EQ(r.result_int(), 400u) << r.body();
    EXPECT_EQ(error_of(r)["code"], "invalid_booking_details");
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(BookingDetailsRoutesTest, PhoneCallWithAValidPhoneIsBookedAndCalendlyGetsTheLocation) {
    start();
    auto body = booking("phone-call", open_starts("phone-call").at(0));
    body["location"] = {{"phone_number", "+1 415 555 0123"}};
    auto r = post(body);
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    ASSERT_EQ(fake->bookings().size(), 1u);
    EXPECT_EQ(fake->bookings()[0].location_kind, "outbound_call");
    EXPECT_EQ(fake->bookings()[0].location, "+14155550123");
}

TEST_F(BookingDetailsRoutesTest, SeveralLocationsRequireAChoice) {
    start();
    const auto starts = open_starts("workshop");
    auto missing = post(booking("workshop", starts.at(0)));
    ASSERT_EQ(missing.result_int(), 400u) << missing.body();
    EXPECT_EQ(error_of(missing)["code"], "booking_details_required");
    EXPECT_EQ(error_of(missing)["details"][0]["parameter"], "location.kind");

    auto body = booking("workshop", starts.at(0));
    body["location"] = {{"kind", "physical"}};
    auto r = post(body);
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    EXPECT_EQ(fake->bookings().at(0).location_kind, "physical");
    EXPECT_EQ(fake->bookings().at(0).location, "500 Market St, San Francisco, CA");
}

TEST_F(BookingDetailsRoutesTest, RequiredQuestionsMustBeAnsweredWithTheirChoices) {
    start();
    const auto starts = open_starts("intake-interview");
    auto missing = post(booking("intake-interview", starts.at(0)));
    ASSERT_EQ(missing.result_int(), 400u) << missing.body();
    EXPECT_EQ(error_of(missing)["code"], "booking_details_required");
    EXPECT_NE(error_of(missing)["message"].get<std::string>().find("Sales, Support, Partnership"),
              std::string::npos);

    auto body = booking("intake-interview", starts.at(0));
    body["answers"] = {{{"question", "company name"}, {"answer", "Acme"}},
                       {{"question", "Topic"}, {"answer", "Billing"}},
                       {{"question", "Products of interest"}, {"answer", "Routing"}}};
    auto wrong = post(body);
    ASSERT_EQ(wrong.result_int(), 400u) << wrong.body();
    EXPECT_EQ(error_of(wrong)["code"], "invalid_booking_details");
    EXPECT_EQ(fake->request_count("/invitees"), 0u);

    body["answers"][1]["answer"] = "support";
    body["answers"][2]["answer"] = json::array({"Routing", "Analytics"});
    auto r = post(body);
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    const auto sent = fake->bookings().at(0).questions_and_answers;
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[0]["question"], "Company name");
    EXPECT_EQ(sent[1]["answer"], "Support");
    EXPECT_EQ(sent[2]["answer"], "Routing\nAnalytics");
    EXPECT_EQ(sent[2]["position"], 2);
}

TEST_F(BookingDetailsRoutesTest, LocationOfTheWrongTypeIsRefused) {
    start();
    auto body = booking("phone-call", open_starts("phone-call").at(0));
    body["location"] = "outbound_call";
    auto r = post(body);
    ASSERT_EQ(r.result_int(), 400u) << r.body();
    EXPECT_EQ(error_of(r)["code"], "invalid_booking_details");
}

TEST_F(BookingDetailsRoutesTest, OneAddressMayBookOnlyItsDailyCap) {
    start(/*per_address=*/2, /*per_email=*/0);
    const auto starts = open_starts("15min");
    ASSERT_GE(starts.size(), 3u);
    ASSERT_EQ(post(booking("15min", starts[0], "a@example.com")).result_int(), 200u);
    ASSERT_EQ(post(booking("15min", starts[1], "b@example.com")).result_int(), 200u);
    auto third = post(booking("15min", starts[2], "c@example.com"));
    ASSERT_EQ(third.result_int(), 429u) << third.body();
    EXPECT_EQ(error_of(third)["code"], "booking_quota_exceeded");
    const auto retry_after = std::stoi(std::string(third["Retry-After"]));
    EXPECT_GT(retry_after, 0);
    EXPECT_LE(retry_after, 24 * 3600);
    EXPECT_EQ(fake->bookings().size(), 2u);
    EXPECT_EQ(fake->request_count("/invitees"), 2u);
}

TEST_F(BookingDetailsRoutesTest, OneEmailMayBeBookedOnlyItsDailyCapAndRefusalsGiveTheirTurnBack) {
    start(/*per_address=*/0, /*per_email=*/2);
    const auto starts = open_starts("15min");
    ASSERT_GE(starts.size(), 3u);
    ASSERT_EQ(post(booking("15min", starts[0], "ada@example.com")).result_int(), 200u);
    // Calendly refuses the same slot again: nothing was booked, so the turn is given back.
    const auto refused = post(booking("15min", starts[0], "ada@example.com"));
    EXPECT_GE(refused.result_int(), 400u) << refused.body();
    EXPECT_NE(refused.result_int(), 429u) << refused.body();
    const auto second = post(booking("15min", starts[1], "ADA@example.com"));
    ASSERT_EQ(second.result_int(), 200u) << second.body();
    auto third = post(booking("15min", starts[2], "ada@example.com"));
    ASSERT_EQ(third.result_int(), 429u) << third.body();
    EXPECT_EQ(error_of(third)["code"], "booking_quota_exceeded");
    EXPECT_EQ(post(booking("15min", starts[2], "bob@example.com")).result_int(), 200u);
}

}  // namespace
}  // namespace calrt::server

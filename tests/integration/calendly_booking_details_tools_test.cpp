// The assistant's tools with event types that need booking details (the fake Calendly's varied
// types): what the listing tells the model to ask, book_meeting's refusals before any call to
// Calendly, bookings that carry the location and answers, the link instead of a booking, and the
// per-address and per-email caps.
#include <gtest/gtest.h>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/tools/booking_caps.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "support/running_fake_calendly.hpp"

namespace calrt::tools {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

testing::FakeCalendlyOptions fake_options(testing::FakePlan plan = testing::FakePlan::standard) {
    testing::FakeCalendlyOptions options;
    options.varied_event_types = true;
    options.plan = plan;
    return options;
}

std::string error_code(const json& result) {
    return result.contains("error") ? result["error"].value("code", "<no code>") : "<not an error>";
}

class BookingDetailsToolsTest : public ::testing::Test {
  protected:
    explicit BookingDetailsToolsTest(testing::FakePlan plan = testing::FakePlan::standard)
        : fake(fake_options(plan)) {
        calendly::CalendlyClientOptions options;
        options.base_url = fake->base_url();
        options.access_token = Secret(fake->access_token());
        options.http.request_timeout = 2s;
        options.retry.max_attempts = 2;
        options.retry.base_delay = 1ms;
        options.retry.max_backoff = 2ms;
        options.retry.deadline = 3s;
        client = std::make_unique<calendly::CalendlyClient>(fake.io.get_executor(), options,
                                                            metrics, clock);
        context = std::make_shared<CalendlyToolContext>(CalendlyToolContext{
            *client, "https://calendly.com/alex-rivera", zones, clock, "calrt-test", {}});
        context->client_address = "198.51.100.7";
        context->booking_caps = &caps;
    }

    json run(boost::asio::awaitable<json> call) { return fake.run(std::move(call)); }

    Timestamp first_open(std::string_view slug, std::size_t index = 0) {
        const Timestamp now = clock.now();
        auto slots =
            fake.run(client->available_times(fake->event_type_uri(slug), {now, now + 24h * 7}));
        if (!slots || slots->size() <= index) {
            ADD_FAILURE() << "no open slot";
            return now;
        }
        return (*slots)[index].start_time;
    }

    json arguments(std::string_view slug, Timestamp start, std::string email = "ada@example.com") {
        return {{"event_type", fake->event_type_uri(slug)},
                {"start_time", format_rfc3339(start)},
                {"name", "Ada Lovelace"},
                {"email", std::move(email)},
                {"timezone", "Europe/London"}};
    }

    test::RunningFakeCalendly fake;
    MetricsRegistry metrics;
    SystemClock clock;
    TimeZoneCache zones;
    BookingCaps caps{{.bookings_per_day = 100,
                      .links_per_day = 100,
                      .bookings_per_address_per_day = 2,
                      .bookings_per_email_per_day = 1},
                     clock};
    std::unique_ptr<calendly::CalendlyClient> client;
    std::shared_ptr<CalendlyToolContext> context;
};

const json* type_named(const json& list, std::string_view name) {
    for (const auto& type : list) {
        if (type["name"] == name) return &type;
    }
    return nullptr;
}

TEST_F(BookingDetailsToolsTest, MeetingTypesSayWhatEachBookingNeeds) {
    const json result = run(get_available_meeting_types(*context, json::object()));
    const json* phone = type_named(result["event_types"], "Phone Call");
    ASSERT_NE(phone, nullptr) << result.dump();
    EXPECT_EQ((*phone)["booking"]["locations"][0]["ask_for"], "phone_number");
    EXPECT_NE((*phone)["booking"]["ask_before_booking"].get<std::string>().find("phone number"),
              std::string::npos);

    const json* workshop = type_named(result["event_types"], "Workshop");
    ASSERT_NE(workshop, nullptr);
    EXPECT_TRUE((*workshop)["booking"]["choose_location"].get<bool>());

    const json* intake = type_named(result["event_types"], "Intake Interview");
    ASSERT_NE(intake, nullptr);
    const auto& questions = (*intake)["booking"]["questions"];
    ASSERT_EQ(questions.size(), 5u);
    EXPECT_EQ(questions[1]["choices"], json({"Sales", "Support", "Partnership"}));
    EXPECT_TRUE(questions[0]["required"].get<bool>());

    const json* quick = type_named(result["event_types"], "15 Minute Meeting");
    ASSERT_NE(quick, nullptr);
    EXPECT_TRUE((*quick)["booking"]["direct_booking"].get<bool>());
}

TEST_F(BookingDetailsToolsTest, AvailabilitySaysWhatTheChosenTypeNeeds) {
    const json result = run(check_meeting_availability(*context, {{"event_type", "site-visit"}}));
    EXPECT_EQ(result["event_type"]["booking"]["locations"][0]["ask_for"], "details")
        << result.dump();
}

TEST_F(BookingDetailsToolsTest, PhoneCallWithoutAPhoneAsksForItAndCallsNoBooking) {
    const json result =
        run(book_meeting(*context, arguments("phone-call", first_open("phone-call"))));
    EXPECT_EQ(error_code(result), "booking_details_required") << result.dump();
    EXPECT_NE(result.dump().find("phone number"), std::string::npos);
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(BookingDetailsToolsTest, PhoneCallWithAValidPhoneIsBookedWithTheLocation) {
    auto args = arguments("phone-call", first_open("phone-call"));
    args["location"] = {{"kind", "outbound_call"}, {"phone_number", "+44 20 7946 0958"}};
    const json result = run(book_meeting(*context, args));
    ASSERT_TRUE(result.value("booked", false)) << result.dump();
    ASSERT_EQ(fake->bookings().size(), 1u);
    EXPECT_EQ(fake->bookings()[0].location_kind, "outbound_call");
    EXPECT_EQ(fake->bookings()[0].location, "+442079460958");
}

TEST_F(BookingDetailsToolsTest, BadPhoneIsInvalidBookingDetails) {
    auto args = arguments("phone-call", first_open("phone-call"));
    args["location"] = {{"phone_number", "call me maybe"}};
    EXPECT_EQ(error_code(run(book_meeting(*context, args))), "invalid_booking_details");
    EXPECT_EQ(fake->request_count("/invitees"), 0u);
}

TEST_F(BookingDetailsToolsTest, RequiredQuestionsAreAskedThenSentWithPositions) {
    const Timestamp start = first_open("intake-interview");
    auto args = arguments("intake-interview", start);
    const json missing = run(book_meeting(*context, args));
    EXPECT_EQ(error_code(missing), "booking_details_required");
    EXPECT_NE(missing.dump().find("Company name"), std::string::npos);
    EXPECT_EQ(fake->request_count("/invitees"), 0u);

    args["answers"] = {{{"question", "Company name"}, {"answer", "Acme"}},
                       {{"question", "Topic"}, {"answer", "Partnership"}},
                       {{"question", "Products of interest"}, {"answer", "Scheduling, Analytics"}}};
    const json result = run(book_meeting(*context, args));
    ASSERT_TRUE(result.value("booked", false)) << result.dump();
    const auto sent = fake->bookings().at(0).questions_and_answers;
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_EQ(sent[2]["answer"], "Scheduling\nAnalytics");
    EXPECT_EQ(fake->bookings()[0].location_kind, "zoom_conference");
}

TEST_F(BookingDetailsToolsTest, SeveralLocationsNeedAChoice) {
    auto args = arguments("workshop", first_open("workshop"));
    EXPECT_EQ(error_code(run(book_meeting(*context, args))), "booking_details_required");
    args["location"] = {{"kind", "zoom_conference"}};
    const json result = run(book_meeting(*context, args));
    ASSERT_TRUE(result.value("booked", false)) << result.dump();
    EXPECT_EQ(fake->bookings().at(0).location_kind, "zoom_conference");
}

TEST_F(BookingDetailsToolsTest, PerAddressAndPerEmailCapsStopTheThirdBooking) {
    ASSERT_TRUE(
        run(book_meeting(*context, arguments("15min", first_open("15min", 0), "a@example.com")))
            .value("booked", false));
    ASSERT_TRUE(
        run(book_meeting(*context, arguments("15min", first_open("15min", 0), "b@example.com")))
            .value("booked", false));
    const json third =
        run(book_meeting(*context, arguments("15min", first_open("15min", 0), "c@example.com")));
    EXPECT_EQ(error_code(third), "booking_quota_exceeded") << third.dump();
    EXPECT_EQ(fake->bookings().size(), 2u);

    // Another conversation from another address, for an email already booked twice today.
    context->client_address = "203.0.113.9";
    const json same_email =
        run(book_meeting(*context, arguments("15min", first_open("15min", 0), "A@example.com")));
    EXPECT_EQ(error_code(same_email), "booking_quota_exceeded") << same_email.dump();
    EXPECT_EQ(fake->bookings().size(), 2u);
}

class PlanWithoutSchedulingApiToolsTest : public BookingDetailsToolsTest {
  protected:
    PlanWithoutSchedulingApiToolsTest()
        : BookingDetailsToolsTest(testing::FakePlan::without_scheduling_api) {}
};

TEST_F(PlanWithoutSchedulingApiToolsTest, BookMeetingOffersTheSingleUseLinkAndSaysWhy) {
    const json result = run(book_meeting(*context, arguments("15min", first_open("15min"))));
    EXPECT_FALSE(result.value("booked", true)) << result.dump();
    EXPECT_EQ(result.value("reason", ""), "calendly_plan_required");
    EXPECT_NE(result.value("booking_url", "").find("/d/"), std::string::npos) << result.dump();
    EXPECT_NE(result.value("message", "").find("plan"), std::string::npos);
    EXPECT_TRUE(fake->bookings().empty());

    // Remembered: the next booking goes to the link without asking Calendly to book.
    const auto posts = fake->request_count("/invitees");
    const json again = run(book_meeting(*context, arguments("30min", first_open("30min"))));
    EXPECT_EQ(again.value("reason", ""), "calendly_plan_required") << again.dump();
    EXPECT_EQ(fake->request_count("/invitees"), posts);
}

}  // namespace
}  // namespace calrt::tools

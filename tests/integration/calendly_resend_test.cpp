// A kept-alive connection that breaks after the request was written, before any answer (the fake
// does the work, then drops the connection): the HTTP client sends an idempotent request again on a
// fresh connection, and never a booking (review M5).
#include <gtest/gtest.h>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/net/http_client.hpp"
#include "support/running_fake_calendly.hpp"

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;
using testing::FaultPlan;

testing::FakeCalendlyOptions with_connection_faults() {
    testing::FakeCalendlyOptions options;
    options.connection_faults = true;
    return options;
}

TimeRange next_week() {
    const auto start = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                       std::chrono::days(1);
    return {
        Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch())),
        Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(
            (start + std::chrono::days(7)).time_since_epoch()))};
}

class DroppedConnectionTest : public ::testing::Test {
  protected:
    CalendlyClient& client() {
        CalendlyClientOptions o;
        o.base_url = fake->base_url();
        o.access_token = Secret(fake->access_token());
        o.http.request_timeout = 2s;
        o.retry.base_delay = 1ms;
        o.retry.max_backoff = 5ms;
        o.retry.deadline = 3s;
        client_ =
            std::make_unique<CalendlyClient>(fake.io.get_executor(), std::move(o), metrics, clock);
        return *client_;
    }
    template <class T>
    T run(boost::asio::awaitable<T> op) {
        return fake.run(std::move(op));
    }
    net::HttpRequest request(std::string method, std::string path) {
        net::HttpRequest r;
        r.method = std::move(method);
        r.url = fake->base_url() + path;
        r.headers = {{"Authorization", "Bearer " + fake->access_token()}};
        return r;
    }

    test::RunningFakeCalendly fake{with_connection_faults()};
    MetricsRegistry metrics;
    SystemClock clock;
    std::unique_ptr<CalendlyClient> client_;
};

TEST_F(DroppedConnectionTest, BookingWhoseAnswerWasLostIsNotSentAgainOnAFreshConnection) {
    auto& c = client();
    const auto event_type = fake->active_event_type_uris().front();
    // Also leaves a kept-alive connection to the fake in the pool, which the booking then reuses.
    auto slots = run(c.available_times(event_type, next_week()));
    ASSERT_TRUE(slots && !slots->empty());
    fake->inject("/invitees", FaultPlan::drop_after_processing());

    auto invitee = run(
        c.create_invitee({event_type, slots->front().start_time, "Ada", "ada@example.com", "UTC", test::fake_meeting_location()}));

    ASSERT_FALSE(invitee) << "the answer never came";
    EXPECT_EQ(invitee.error().code, "calendly_unreachable");
    EXPECT_NE(invitee.error().message.find("may have been carried out"), std::string::npos)
        << invitee.error().message;
    EXPECT_EQ(fake->request_count("/invitees"), 1u) << "sent once";
    EXPECT_EQ(fake->bookings().size(), 1u) << "booked once";
}

TEST_F(DroppedConnectionTest, IdempotentGetIsSentAgainOnAFreshConnection) {
    net::HttpClient http(fake.io.get_executor());
    auto warm = run(http.send(request("GET", "/users/me")));
    ASSERT_TRUE(warm && warm->status == 200);
    fake->inject("/users/me", FaultPlan::drop_after_processing());

    auto again = run(http.send(request("GET", "/users/me")));

    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->status, 200u);
    EXPECT_EQ(fake->request_count("/users/me"), 3u) << "warm-up, dropped, sent again";
}

TEST_F(DroppedConnectionTest, PostIsNotSentAgainUnlessMarkedIdempotent) {
    net::HttpClient http(fake.io.get_executor());
    ASSERT_TRUE(run(http.send(request("GET", "/users/me"))));
    fake->inject("/scheduling_links", FaultPlan::drop_after_processing(2));
    auto post = request("POST", "/scheduling_links");
    post.headers.emplace_back("Content-Type", "application/json");
    post.body = R"({"max_event_count":1,"owner":")" + fake->active_event_type_uris().front() +
                R"(","owner_type":"EventType"})";

    auto lost = run(http.send(post));
    ASSERT_FALSE(lost);
    EXPECT_EQ(lost.error().code, "connection_lost");
    EXPECT_EQ(fake->request_count("/scheduling_links"), 1u);

    // The next request needs a pooled connection again for the case to arise.
    ASSERT_TRUE(run(http.send(request("GET", "/users/me"))));
    post.idempotent = true;
    auto resent = run(http.send(post));
    ASSERT_TRUE(resent) << resent.error().message;
    EXPECT_EQ(resent->status, 201u);
    EXPECT_EQ(fake->request_count("/scheduling_links"), 3u);
}

}  // namespace
}  // namespace calrt::calendly

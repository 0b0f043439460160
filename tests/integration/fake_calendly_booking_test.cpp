// Booking through the fake Calendly (POST /invitees and a single-use link's page), cancellation,
// webhook subscriptions, and the signed webhooks the fake delivers for them.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "calrt/server/responses.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/test_signature.hpp"
#include "support/webhook_receiver.hpp"
#include "support/running_server.hpp"
#include "testing/fake_calendly/calendly_time.hpp"

namespace calrt::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::RunningFakeCalendly;
using test::WebhookReceiver;
using test::with_query;
using Clock = std::chrono::system_clock;

constexpr const char* kSigningKey = "sandbox-signing-key";

json body_of(const test::HttpResponse& response) { return json::parse(response.body()); }

std::string iso(Clock::time_point time) { return fake::format_calendly_time(time); }

class FakeCalendlyBookingTest : public ::testing::Test {
  protected:
    FakeCalendlyOptions options() {
        FakeCalendlyOptions options;
        options.webhook_url = receiver.url();
        options.webhook_signing_key = kSigningKey;
        return options;
    }

    json first_open_slot(const std::string& event_type) {
        const auto start = Clock::now() + 1min;
        const auto body = body_of(fake.get(
            with_query("/event_type_available_times", {{"event_type", event_type},
                                                       {"start_time", iso(start)},
                                                       {"end_time", iso(start + 7 * 24h)}})));
        return body["collection"].at(0);
    }
    std::vector<std::string> open_starts(const std::string& event_type) {
        const auto start = Clock::now() + 1min;
        const auto body = body_of(fake.get(
            with_query("/event_type_available_times", {{"event_type", event_type},
                                                       {"start_time", iso(start)},
                                                       {"end_time", iso(start + 7 * 24h)}})));
        std::vector<std::string> starts;
        for (const auto& slot : body["collection"]) starts.push_back(slot["start_time"]);
        return starts;
    }
    test::HttpResponse book(const std::string& event_type, const std::string& start) {
        const json request = {{"event_type", event_type},
                              {"start_time", start},
                              {"invitee",
                               {{"name", "Ada Lovelace"},
                                {"email", "ada@example.com"},
                                {"timezone", "Europe/London"}}},
                              // The five default types meet on Google Meet.
                              {"location", {{"kind", "google_conference"}}}};
        return fake.call("POST", "/invitees", request.dump());
    }

    WebhookReceiver receiver;
    RunningFakeCalendly fake{options()};
};

TEST_F(FakeCalendlyBookingTest, BookingAnswers201WithTheInviteeResource) {
    const std::string type = fake->event_type_uri("30min");
    const std::string start = first_open_slot(type)["start_time"];
    const auto response = book(type, start);
    ASSERT_EQ(response.result_int(), 201u) << response.body();
    const auto invitee = body_of(response)["resource"];
    EXPECT_EQ(invitee["email"], "ada@example.com");
    EXPECT_EQ(invitee["name"], "Ada Lovelace");
    EXPECT_EQ(invitee["status"], "active");
    EXPECT_EQ(invitee["timezone"], "Europe/London");
    for (const char* field : {"uri", "event", "cancel_url", "reschedule_url", "created_at"}) {
        EXPECT_TRUE(invitee[field].is_string()) << field;
    }
    const auto event = body_of(fake.get(invitee["event"].get<std::string>()))["resource"];
    EXPECT_EQ(event["start_time"], start);
    EXPECT_EQ(event["event_type"], type);

    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 1u);
    EXPECT_EQ(bookings[0].invitee_uri, invitee["uri"]);
    EXPECT_EQ(bookings[0].source, "api");
}

TEST_F(FakeCalendlyBookingTest, BookedSlotLeavesAvailability) {
    const std::string type = fake->event_type_uri("30min");
    const std::string start = first_open_slot(type)["start_time"];
    ASSERT_EQ(book(type, start).result_int(), 201u);
    const auto starts = open_starts(type);
    EXPECT_EQ(std::find(starts.begin(), starts.end(), start), starts.end());
}

TEST_F(FakeCalendlyBookingTest, BookingATakenSlotAnswers400NamingStartTime) {
    const std::string type = fake->event_type_uri("30min");
    const std::string start = first_open_slot(type)["start_time"];
    ASSERT_EQ(book(type, start).result_int(), 201u);
    const auto again = book(type, start);
    ASSERT_EQ(again.result_int(), 400u) << again.body();
    EXPECT_EQ(body_of(again)["details"][0]["parameter"], "start_time");
}

TEST_F(FakeCalendlyBookingTest, BookingWithoutEmailAnswers400NamingIt) {
    const json request = {
        {"event_type", fake->event_type_uri("30min")},
        {"start_time", first_open_slot(fake->event_type_uri("30min"))["start_time"]},
        {"invitee", {{"name", "Ada"}, {"timezone", "UTC"}}}};
    const auto response = fake.call("POST", "/invitees", request.dump());
    ASSERT_EQ(response.result_int(), 400u);
    EXPECT_EQ(body_of(response)["details"][0]["parameter"], "invitee.email");
}

TEST_F(FakeCalendlyBookingTest, BookingDeliversASignedInviteeCreatedWebhook) {
    const std::string type = fake->event_type_uri("15min");
    const auto booked = body_of(book(type, first_open_slot(type)["start_time"]))["resource"];
    ASSERT_TRUE(test::wait_until([&] { return !receiver.received().empty(); }));

    const auto delivery = receiver.received().front();
    const std::string& signature = delivery.signature;
    ASSERT_EQ(signature.rfind("t=", 0), 0u) << signature;
    const auto comma = signature.find(",v1=");
    ASSERT_NE(comma, std::string::npos) << signature;
    const std::string timestamp = signature.substr(2, comma - 2);
    EXPECT_LE(std::abs(std::stoll(timestamp) - std::chrono::duration_cast<std::chrono::seconds>(
                                                   Clock::now().time_since_epoch())
                                                   .count()),
              5);
    EXPECT_EQ(signature, test::calendly_signature(kSigningKey, std::stoll(timestamp), delivery.body));

    const auto envelope = json::parse(delivery.body);
    EXPECT_EQ(envelope["event"], "invitee.created");
    EXPECT_EQ(envelope["created_by"], fake->user_uri());
    EXPECT_TRUE(envelope["created_at"].is_string());
    EXPECT_EQ(envelope["payload"]["uri"], booked["uri"]);
    EXPECT_EQ(envelope["payload"]["email"], "ada@example.com");
    EXPECT_EQ(envelope["payload"]["scheduled_event"]["uri"], booked["event"]);
    EXPECT_EQ(envelope["payload"]["scheduled_event"]["event_type"], type);
}

TEST_F(FakeCalendlyBookingTest, WebhookDeliveriesAreRecorded) {
    const std::string type = fake->event_type_uri("15min");
    ASSERT_EQ(book(type, first_open_slot(type)["start_time"]).result_int(), 201u);
    ASSERT_TRUE(test::wait_until([&] { return !fake->webhook_deliveries().empty(); }));
    const auto record = fake->webhook_deliveries().front();
    EXPECT_EQ(record.event, "invitee.created");
    EXPECT_EQ(record.url, receiver.url());
    EXPECT_EQ(record.status, 200u);
    EXPECT_EQ(record.body, receiver.received().front().body);
}

TEST_F(FakeCalendlyBookingTest, CancellationCancelsTheEventAndItsInvitees) {
    const std::string event = fake->upcoming_event_uri();
    const auto response = fake.call("POST", event + "/cancellation", R"({"reason":"Host is ill"})");
    ASSERT_EQ(response.result_int(), 201u) << response.body();
    const auto cancellation = body_of(response)["resource"];
    EXPECT_EQ(cancellation["reason"], "Host is ill");
    EXPECT_EQ(cancellation["canceler_type"], "host");
    EXPECT_EQ(cancellation["canceled_by"], "Alex Rivera");

    EXPECT_EQ(body_of(fake.get(event))["resource"]["status"], "canceled");
    EXPECT_EQ(body_of(fake.get(event + "/invitees"))["collection"][0]["status"], "canceled");
    ASSERT_EQ(fake->cancellations().size(), 1u);
    EXPECT_EQ(fake->cancellations()[0].event_uri, event);
}

TEST_F(FakeCalendlyBookingTest, BookingsAndCancellationsShareOneOrderedLogShownOnTheFakesOwnRoute) {
    // A reschedule as the service does it: the new time booked, then the old meeting cancelled.
    const std::string type = fake->event_type_uri("30min");
    const auto starts = open_starts(type);
    ASSERT_GE(starts.size(), 2u);
    const auto first = book(type, starts[0]);
    ASSERT_EQ(first.result_int(), 201u) << first.body();
    const std::string old_event = body_of(first)["resource"]["event"];
    const auto second = book(type, starts[1]);
    ASSERT_EQ(second.result_int(), 201u) << second.body();
    ASSERT_EQ(fake.call("POST", old_event + "/cancellation", R"({"reason":"moved"})").result_int(), 201u);

    ASSERT_EQ(fake->bookings().size(), 2u);
    EXPECT_EQ(fake->bookings()[0].sequence, 1u);
    EXPECT_EQ(fake->bookings()[1].sequence, 2u);
    ASSERT_EQ(fake->cancellations().size(), 1u);
    EXPECT_EQ(fake->cancellations()[0].sequence, 3u);

    // The same, in order, on a route no Calendly endpoint has, without a token (as a browser test
    // of the sandbox binary reads it).
    const auto response = fake.call("GET", "/_fake/changes", {}, std::string());
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    const auto changes = body_of(response)["changes"];
    ASSERT_EQ(changes.size(), 3u) << changes.dump();
    EXPECT_EQ(changes[0]["change"], "booked");
    EXPECT_EQ(changes[0]["event"], old_event);
    EXPECT_EQ(changes[0]["start_time"], starts[0]);
    EXPECT_EQ(changes[1]["change"], "booked");
    EXPECT_EQ(changes[1]["event"], body_of(second)["resource"]["event"]);
    EXPECT_EQ(changes[2]["change"], "canceled");
    EXPECT_EQ(changes[2]["event"], old_event);
    EXPECT_EQ(changes[2]["reason"], "moved");
}

TEST_F(FakeCalendlyBookingTest, CancelingACanceledEventAnswers403) {
    const auto response =
        fake.call("POST", fake->canceled_event_uri() + "/cancellation", R"({"reason":"again"})");
    ASSERT_EQ(response.result_int(), 403u);
    EXPECT_EQ(body_of(response),
              (json{{"title", "Permission Denied"}, {"message", "Event is already canceled"}}));
}

TEST_F(FakeCalendlyBookingTest, CancellationDeliversAnInviteeCanceledWebhook) {
    ASSERT_EQ(fake.call("POST", fake->upcoming_event_uri() + "/cancellation", "").result_int(),
              201u);
    ASSERT_TRUE(test::wait_until([&] { return !receiver.received().empty(); }));
    const auto envelope = json::parse(receiver.received().front().body);
    EXPECT_EQ(envelope["event"], "invitee.canceled");
    EXPECT_EQ(envelope["payload"]["status"], "canceled");
    EXPECT_EQ(envelope["payload"]["event"], fake->upcoming_event_uri());
    EXPECT_EQ(envelope["payload"]["cancellation"]["canceler_type"], "host");
}

TEST_F(FakeCalendlyBookingTest, SchedulingLinkIsASingleUseBookingPageOnTheFake) {
    const json request = {{"max_event_count", 1},
                          {"owner", fake->event_type_uri("30min")},
                          {"owner_type", "EventType"}};
    const auto created = fake.call("POST", "/scheduling_links", request.dump());
    ASSERT_EQ(created.result_int(), 201u) << created.body();
    const auto link = body_of(created)["resource"];
    EXPECT_EQ(link["owner"], fake->event_type_uri("30min"));
    EXPECT_EQ(link["owner_type"], "EventType");
    const std::string booking_url = link["booking_url"];
    ASSERT_EQ(booking_url.rfind(fake->base_url() + "/d/", 0), 0u) << booking_url;

    const auto page = fake.get(booking_url + "?name=Ada%20Lovelace&email=ada%40example.com&utm_content=calrt-t1");
    ASSERT_EQ(page.result_int(), 200u);
    EXPECT_NE(page.body().find("value=\"Ada Lovelace\""), std::string::npos);
    EXPECT_NE(page.body().find("value=\"ada@example.com\""), std::string::npos);
    EXPECT_NE(page.body().find("name=\"utm_content\" value=\"calrt-t1\""), std::string::npos);

    const std::string slot = fake::format_compact_time(
        fake::parse_rfc3339(
            first_open_slot(fake->event_type_uri("30min"))["start_time"].get<std::string>())
            .value());
    const auto booked = test::http_request(
        fake->port(), "POST", fake.target_of(booking_url),
        {{"Content-Type", "application/x-www-form-urlencoded"}},
        "name=Ada+Lovelace&email=ada%40example.com&timezone=UTC&utm_content=calrt-t1&start_time=" + slot);
    ASSERT_EQ(booked.result_int(), 200u) << booked.body();
    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 1u);
    EXPECT_EQ(bookings[0].source, "scheduling_link");
    EXPECT_EQ(bookings[0].name, "Ada Lovelace");
    EXPECT_EQ(bookings[0].booking_url, booking_url);
    ASSERT_TRUE(test::wait_until([&] { return !receiver.received().empty(); }));
    const json delivered = json::parse(receiver.received().front().body);
    EXPECT_EQ(delivered["event"], "invitee.created");
    EXPECT_EQ(delivered["payload"]["tracking"]["utm_content"], "calrt-t1");  // as Calendly keeps UTM
    EXPECT_TRUE(delivered["payload"]["tracking"]["utm_source"].is_null());

    EXPECT_EQ(fake.get(booking_url).result_int(), 404u);  // max_event_count is 1
}

TEST_F(FakeCalendlyBookingTest, SchedulingLinkRequiresMaxEventCountOne) {
    const json request = {{"max_event_count", 2},
                          {"owner", fake->event_type_uri("30min")},
                          {"owner_type", "EventType"}};
    const auto response = fake.call("POST", "/scheduling_links", request.dump());
    ASSERT_EQ(response.result_int(), 400u);
    EXPECT_EQ(body_of(response)["details"][0]["parameter"], "max_event_count");
}

TEST_F(FakeCalendlyBookingTest, WebhookSubscriptionsCanBeCreatedListedAndDeleted) {
    const json request = {{"url", "https://example.com/hooks/calendly"},
                          {"events", {"invitee.created", "invitee.canceled"}},
                          {"organization", fake->organization_uri()},
                          {"scope", "organization"},
                          {"signing_key", "another-key"}};
    const auto created = fake.call("POST", "/webhook_subscriptions", request.dump());
    ASSERT_EQ(created.result_int(), 201u) << created.body();
    const auto subscription = body_of(created)["resource"];
    EXPECT_EQ(subscription["callback_url"], "https://example.com/hooks/calendly");
    EXPECT_EQ(subscription["state"], "active");
    EXPECT_EQ(subscription["creator"], fake->user_uri());

    const auto listed = body_of(
        fake.get(with_query("/webhook_subscriptions", {{"organization", fake->organization_uri()},
                                                       {"scope", "organization"}})));
    std::vector<std::string> urls;
    for (const auto& s : listed["collection"]) urls.push_back(s["callback_url"]);
    EXPECT_EQ(urls,
              (std::vector<std::string>{receiver.url(), "https://example.com/hooks/calendly"}));

    const std::string uri = subscription["uri"];
    EXPECT_EQ(fake.call("DELETE", uri).result_int(), 204u);
    EXPECT_EQ(fake.get(uri).result_int(), 404u);
}

TEST_F(FakeCalendlyBookingTest, DuplicateWebhookUrlAnswers409) {
    const json request = {{"url", receiver.url()},
                          {"events", {"invitee.created"}},
                          {"organization", fake->organization_uri()},
                          {"scope", "organization"}};
    const auto response = fake.call("POST", "/webhook_subscriptions", request.dump());
    ASSERT_EQ(response.result_int(), 409u);
    EXPECT_EQ(body_of(response)["title"], "Already Exists");
}

}  // namespace
}  // namespace calrt::testing

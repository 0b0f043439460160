// The Calendly client against the fake Calendly over HTTP: every endpoint, pagination, the item cap,
// each error path, retries, the deadline, timeouts, singleflight caching and availability windows.
#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/personalized_link.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "support/running_fake_calendly.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/url/parse.hpp>
#include <gtest/gtest.h>

#include <future>

namespace calrt::calendly {
namespace {

using namespace std::chrono_literals;
using testing::FaultPlan;

class CalendlyClientTest : public ::testing::Test {
protected:
    CalendlyClientOptions options() {
        CalendlyClientOptions o;
        o.base_url = fake->base_url();
        o.access_token = Secret(fake->access_token());
        o.page_size = 2;  // the seeded event types span three pages
        o.http.request_timeout = 300ms;
        o.retry.max_attempts = 3;
        o.retry.base_delay = 1ms;
        o.retry.max_backoff = 5ms;
        o.retry.deadline = 3s;
        return o;
    }
    CalendlyClient& client(CalendlyClientOptions o) {
        client_ = std::make_unique<CalendlyClient>(fake.io.get_executor(), std::move(o), metrics, clock);
        return *client_;
    }
    CalendlyClient& client() { return client(options()); }
    template <class T>
    T run(boost::asio::awaitable<T> op) {
        return fake.run(std::move(op));
    }

    test::RunningFakeCalendly fake;
    MetricsRegistry metrics;
    SystemClock clock;
    std::unique_ptr<CalendlyClient> client_;
};

TEST_F(CalendlyClientTest, CurrentUserIsTheSeededHost) {
    auto user = run(client().current_user());
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(user->uri, fake->user_uri());
    EXPECT_FALSE(user->raw.empty());
}

TEST_F(CalendlyClientTest, EventTypesFollowPaginationToTheLastPage) {
    auto types = run(client().event_types());
    ASSERT_TRUE(types) << types.error().message;
    std::vector<std::string> uris;
    for (const auto& t : *types) uris.push_back(t.uri);
    EXPECT_EQ(uris, fake->active_event_type_uris());
    EXPECT_EQ(fake->request_count("/event_types"), 3u) << "5 active types at count=2";
}

TEST_F(CalendlyClientTest, OrganizationScopeListsEventTypesAndScheduledEventsOfTheOrganization) {
    auto& c = client();
    auto types = run(c.organization_event_types(fake->organization_uri()));
    ASSERT_TRUE(types) << types.error().message;
    EXPECT_FALSE(types->truncated());
    std::vector<std::string> uris;
    for (const auto& t : types->items) uris.push_back(t.uri);
    EXPECT_EQ(uris, fake->active_event_type_uris()) << "the seeded organization has one member, the host";
    ScheduledEventQuery query;
    query.organization_scope = true;
    query.status = "canceled";
    auto events = run(c.scheduled_events(query));
    ASSERT_TRUE(events) << events.error().message;
    ASSERT_FALSE(events->items.empty());
    for (const auto& e : events->items) EXPECT_EQ(e.status, "canceled");
}

TEST_F(CalendlyClientTest, ListStopsAtTheItemCap) {
    auto o = options();
    o.max_list_items = 3;
    auto types = run(client(o).event_types());
    ASSERT_TRUE(types);
    EXPECT_EQ(types->size(), 3u);
    EXPECT_EQ(fake->request_count("/event_types"), 2u);
}

TEST_F(CalendlyClientTest, EventTypesAreCachedAcrossCalls) {
    auto& c = client();
    ASSERT_TRUE(run(c.event_types()));
    ASSERT_TRUE(run(c.event_types()));
    EXPECT_EQ(fake->request_count("/event_types"), 3u);
    EXPECT_EQ(fake->request_count("/users/me"), 1u);
}

TEST_F(CalendlyClientTest, FreshEventTypesAreTheCachedListOnceLoadedAndCountAsLookups) {
    auto& c = client();
    const auto lookups = [&](const char* cache) {
        return metrics.counter("calendly_cache_lookups_total", "Cached Calendly reads asked for", {{"cache", cache}})
            .value();
    };
    EXPECT_EQ(c.fresh_event_types(), nullptr) << "nothing loaded: the caller waits on shared_event_types()";
    EXPECT_EQ(fake->request_count("/users/me"), 0u) << "and fresh_event_types() called nothing";
    auto loaded = run(c.shared_event_types());
    ASSERT_TRUE(loaded) << loaded.error().message;
    const auto event_type_lookups = lookups("event_types");
    const auto user_lookups = lookups("user");

    EXPECT_EQ(c.fresh_event_types(), *loaded) << "the very list cached";
    EXPECT_EQ(lookups("event_types"), event_type_lookups + 1);
    EXPECT_EQ(lookups("user"), user_lookups + 1) << "the host user's lookup, as shared_event_types() counts it";
    EXPECT_EQ(fake->request_count("/event_types"), 3u);
    EXPECT_EQ(fake->request_count("/users/me"), 1u);
}

TEST_F(CalendlyClientTest, ThousandConcurrentColdRequestsMakeOneUpstreamPageSequence) {
    auto& c = client();
    std::vector<std::future<Result<std::vector<EventType>>>> futures;
    for (int i = 0; i < 1000; ++i) {
        futures.push_back(boost::asio::co_spawn(fake.io, c.event_types(), boost::asio::use_future));
    }
    for (auto& f : futures) {
        auto types = f.get();
        ASSERT_TRUE(types) << types.error().message;
        EXPECT_EQ(types->size(), 5u);
    }
    EXPECT_EQ(fake->request_count("/users/me"), 1u);
    EXPECT_EQ(fake->request_count("/event_types"), 3u);
}

TEST_F(CalendlyClientTest, EventTypeByUuidAndUnknownOneIsNotFound) {
    auto& c = client();
    const auto uri = fake->active_event_type_uris().front();
    auto type = run(c.event_type(*uuid_from_uri(uri)));
    ASSERT_TRUE(type) << type.error().message;
    EXPECT_EQ(type->uri, uri);
    auto missing = run(c.event_type("00000000-0000-4000-8000-000000000000"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
    EXPECT_EQ(missing.error().code, "calendly_not_found");
}

TEST_F(CalendlyClientTest, MalformedUuidIsRefusedBeforeAnyRequest) {
    auto type = run(client().event_type("../users/me"));
    ASSERT_FALSE(type);
    EXPECT_EQ(type.error().kind, ErrorKind::invalid_argument);
    EXPECT_EQ(fake->request_count(), 0u);
}

TEST_F(CalendlyClientTest, ScheduledEventsFilterByStatusAndListInvitees) {
    auto& c = client();
    ScheduledEventQuery query;
    query.status = "canceled";
    auto canceled = run(c.scheduled_events(query));
    ASSERT_TRUE(canceled) << canceled.error().message;
    ASSERT_FALSE(canceled->items.empty());
    EXPECT_FALSE(canceled->truncated());
    for (const auto& e : canceled->items) EXPECT_EQ(e.status, "canceled");

    auto event = run(c.scheduled_event(*uuid_from_uri(fake->upcoming_event_uri())));
    ASSERT_TRUE(event) << event.error().message;
    EXPECT_EQ(event->status, "active");
    auto invitees = run(c.event_invitees(*uuid_from_uri(fake->upcoming_event_uri())));
    ASSERT_TRUE(invitees) << invitees.error().message;
    EXPECT_FALSE(invitees->empty());
}

TEST_F(CalendlyClientTest, CreatesASchedulingLinkForAnEventType) {
    auto link = run(client().create_scheduling_link(fake->active_event_type_uris().front()));
    ASSERT_TRUE(link) << link.error().message;
    EXPECT_EQ(link->owner, fake->active_event_type_uris().front());
    EXPECT_TRUE(boost::urls::parse_absolute_uri(link->booking_url).has_value());
}

TimeRange next_days(int from_day, int days) {
    const auto start = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) + std::chrono::days(from_day);
    return {Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch())),
            Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>((start + std::chrono::days(days)).time_since_epoch()))};
}

TEST_F(CalendlyClientTest, AvailabilityOverFortyDaysIsQueriedInThirtyOneDayWindowsAndMerged) {
    auto times = run(client().available_times(fake->active_event_type_uris().front(), next_days(1, 40)));
    ASSERT_TRUE(times) << times.error().message;
    EXPECT_EQ(fake->request_count("/event_type_available_times"), 2u);
    ASSERT_FALSE(times->empty());
    for (std::size_t i = 1; i < times->size(); ++i) {
        EXPECT_LT((*times)[i - 1].start_time, (*times)[i].start_time) << "sorted, no duplicates";
    }
}

TEST_F(CalendlyClientTest, AvailabilityStartingInThePastIsMovedToNow) {
    const auto range = next_days(-2, 4);
    auto times = run(client().available_times(fake->active_event_type_uris().front(), range));
    ASSERT_TRUE(times) << times.error().message << " (the fake refuses a start in the past)";
    for (const auto& t : *times) EXPECT_GT(t.start_time, clock.now());
}

TEST_F(CalendlyClientTest, BookingCreatesAnInviteeAndTakesTheSlot) {
    auto& c = client();
    const auto event_type = fake->active_event_type_uris().front();
    auto before = run(c.available_times(event_type, next_days(1, 7)));
    ASSERT_TRUE(before && !before->empty());
    const Timestamp slot = before->front().start_time;
    auto invitee = run(c.create_invitee({event_type, slot, "Ada Lovelace", "ada@example.com", "Europe/London", test::fake_meeting_location()}));
    ASSERT_TRUE(invitee) << invitee.error().message;
    EXPECT_EQ(invitee->email, "ada@example.com");
    auto after = run(c.available_times(event_type, next_days(1, 7)));
    ASSERT_TRUE(after);
    for (const auto& t : *after) EXPECT_NE(t.start_time, slot);
    EXPECT_EQ(fake->bookings().size(), 1u);

    auto again = run(c.create_invitee({event_type, slot, "Bob", "bob@example.com", "Europe/London", test::fake_meeting_location()}));
    ASSERT_FALSE(again) << "a taken slot cannot be booked twice";
    EXPECT_EQ(fake->request_count("/invitees"), 2u) << "the refusal is final, not retried";
}

TEST_F(CalendlyClientTest, ScheduledEventsFindAnInviteeEmailWithAPlus) {
    auto& c = client();
    const auto event_type = fake->active_event_type_uris().front();
    auto slots = run(c.available_times(event_type, next_days(1, 7)));
    ASSERT_TRUE(slots && !slots->empty());
    auto invitee = run(c.create_invitee({event_type, slots->front().start_time, "Ada", "ada+test@example.com", "UTC", test::fake_meeting_location()}));
    ASSERT_TRUE(invitee) << invitee.error().message;

    ScheduledEventQuery query;
    query.invitee_email = "ada+test@example.com";
    auto events = run(c.scheduled_events(query));
    ASSERT_TRUE(events) << events.error().message;
    ASSERT_EQ(events->items.size(), 1u) << "a bare '+' would reach Calendly as a space";
    EXPECT_EQ(events->items.front().uri, fake->bookings().front().event_uri);
}

TEST_F(CalendlyClientTest, CancelsAScheduledEvent) {
    auto cancellation = run(client().cancel_event(*uuid_from_uri(fake->upcoming_event_uri()), "host is sick"));
    ASSERT_TRUE(cancellation) << cancellation.error().message;
    EXPECT_EQ(cancellation->reason, "host is sick");
    EXPECT_EQ(fake->cancellations().size(), 1u);
}

TEST_F(CalendlyClientTest, WebhookSubscriptionsCanBeCreatedListedAndDeleted) {
    auto& c = client();
    auto created = run(c.create_webhook_subscription(
        {"https://example.com/api/calendly/webhook", {"invitee.created"}, "user", Secret("k3y")}));
    ASSERT_TRUE(created) << created.error().message;
    auto listed = run(c.webhook_subscriptions());
    ASSERT_TRUE(listed) << listed.error().message;
    bool found = false;
    for (const auto& s : *listed) found = found || s.uri == created->uri;
    EXPECT_TRUE(found);
    auto deleted = run(c.delete_webhook_subscription(*uuid_from_uri(created->uri)));
    ASSERT_TRUE(deleted) << deleted.error().message;
}

TEST_F(CalendlyClientTest, WrongTokenIsTheHostsProblemNotTheCallers) {
    auto o = options();
    o.access_token = Secret("wrong-token");
    auto user = run(client(o).current_user());
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().code, "calendly_auth_failed");
    EXPECT_EQ(http_status_of(user.error().kind), 502u);
    EXPECT_EQ(user.error().message.find("wrong-token"), std::string::npos);
    EXPECT_EQ(fake->request_count("/users/me"), 1u) << "401 is not retried";
}

TEST_F(CalendlyClientTest, ForbiddenIsAPermissionProblem) {
    fake->inject("/users/me", FaultPlan::error(403));
    auto user = run(client().current_user());
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().code, "calendly_permission_denied");
}

TEST_F(CalendlyClientTest, BadRequestDetailsArePassedOn) {
    fake->inject("/scheduling_links", FaultPlan::bad_request({{"owner", "is invalid"}}));
    auto link = run(client().create_scheduling_link(fake->active_event_type_uris().front()));
    ASSERT_FALSE(link);
    EXPECT_EQ(link.error().code, "calendly_rejected");
    ASSERT_EQ(link.error().details.size(), 1u);
    EXPECT_EQ(link.error().details[0].parameter, "owner");
}

TEST_F(CalendlyClientTest, RateLimitedThenSucceedsAfterTheResetWait) {
    fake->inject("/users/me", FaultPlan::rate_limited(0s));
    auto user = run(client().current_user());
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(fake->request_count("/users/me"), 2u);
}

TEST_F(CalendlyClientTest, ServerErrorThenSucceeds) {
    fake->inject("/users/me", FaultPlan::error(500));
    auto user = run(client().current_user());
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(fake->request_count("/users/me"), 2u);
}

TEST_F(CalendlyClientTest, ServerErrorsUntilAttemptsRunOutFail) {
    fake->inject("/users/me", FaultPlan::error(500, 100));
    auto user = run(client().current_user());
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().code, "calendly_unavailable");
    EXPECT_EQ(fake->request_count("/users/me"), 3u) << "max_attempts";
}

TEST_F(CalendlyClientTest, ServerErrorsUntilTheDeadlineFail) {
    auto o = options();
    o.retry.max_attempts = 1000;
    o.retry.base_delay = 20ms;
    o.retry.max_backoff = 40ms;
    o.retry.deadline = 300ms;
    fake->inject("/users/me", FaultPlan::error(503, 1000));
    const auto started = std::chrono::steady_clock::now();
    auto user = run(client(o).current_user());
    ASSERT_FALSE(user);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(CalendlyClientTest, HangingRequestTimesOutAndIsRetried) {
    fake->inject("/users/me", FaultPlan::hang());
    auto user = run(client().current_user());
    ASSERT_TRUE(user) << user.error().message;
}

TEST_F(CalendlyClientTest, HangingUntilTheDeadlineIsA504) {
    auto o = options();
    o.retry.deadline = 700ms;
    fake->inject("/users/me", FaultPlan::hang(100));
    auto user = run(client(o).current_user());
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().code, "calendly_timeout");
    EXPECT_EQ(http_status_of(user.error().kind), 504u);
}

TEST_F(CalendlyClientTest, BookingIsNotRetriedAfterAServerError) {
    fake->inject("/invitees", FaultPlan::error(500));
    auto& c = client();
    auto slots = run(c.available_times(fake->active_event_type_uris().front(), next_days(1, 7)));
    ASSERT_TRUE(slots && !slots->empty());
    auto invitee = run(c.create_invitee({fake->active_event_type_uris().front(), slots->front().start_time, "Ada",
                                         "ada@example.com", "UTC", test::fake_meeting_location()}));
    ASSERT_FALSE(invitee);
    EXPECT_EQ(fake->request_count("/invitees"), 1u) << "the booking may have happened: never repeat it";
}

TEST_F(CalendlyClientTest, BookingIsRetriedAfterARateLimit) {
    fake->inject("/invitees", FaultPlan::rate_limited(0s));
    auto& c = client();
    auto slots = run(c.available_times(fake->active_event_type_uris().front(), next_days(1, 7)));
    ASSERT_TRUE(slots && !slots->empty());
    auto invitee = run(c.create_invitee({fake->active_event_type_uris().front(), slots->front().start_time, "Ada",
                                         "ada@example.com", "UTC", test::fake_meeting_location()}));
    ASSERT_TRUE(invitee) << invitee.error().message;
    EXPECT_EQ(fake->request_count("/invitees"), 2u);
}

TEST_F(CalendlyClientTest, PersonalizedLinkPrefillsNameEmailAndPurpose) {
    auto link = run(create_personalized_link(client(), "", {std::nullopt, {"José Müller & Co", "jose+1@example.com", "a = b?", ""}}));
    ASSERT_TRUE(link) << link.error().message;
    EXPECT_FALSE(link->fallback);
    auto url = boost::urls::parse_absolute_uri(link->booking_url);
    ASSERT_TRUE(url);
    EXPECT_EQ((*url->params().find("name")).value, "José Müller & Co");
    EXPECT_EQ((*url->params().find("email")).value, "jose+1@example.com");
    EXPECT_EQ((*url->params().find("a1")).value, "a = b?");
}

TEST_F(CalendlyClientTest, PersonalizedLinkFallsBackWhenCalendlyFails) {
    fake->inject("/scheduling_links", FaultPlan::error(500, 100));
    auto link = run(create_personalized_link(client(), "https://calendly.com/host/30min",
                                             {std::nullopt, {"Ada Lovelace", "ada@example.com", "", ""}}));
    ASSERT_TRUE(link) << link.error().message;
    EXPECT_TRUE(link->fallback);
    EXPECT_EQ(link->booking_url, "https://calendly.com/host/30min?name=Ada%20Lovelace&email=ada%40example.com");
}

}  // namespace
}  // namespace calrt::calendly

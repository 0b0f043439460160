// What the public may do through /api/calendly (issue 9): only the event types the host offers
// (M6), reads limited per client address (M4), and a daily budget of bookings and links for the
// whole service (L11).
#include "support/calendly_routes_fixture.hpp"

namespace calrt::server {
namespace {

using test_support::CalendlyRoutesTest;
using test_support::kAdmin;
using nlohmann::json;

bool lists(const test::HttpResponse& response, const std::string& uri) {
    const json listed = json::parse(response.body());
    for (const auto& type : listed["event_types"]) {
        if (type["uri"] == uri) return true;
    }
    return false;
}

TEST_F(CalendlyRoutesTest, SecretEventTypesAreListedOnlyForTheAdmin) {
    start();
    const std::string secret = fake->add_event_type("Board Review", "board-review", 30, /*secret=*/true);
    const auto anyone = get("action=event-types");
    ASSERT_EQ(anyone.result_int(), 200u) << anyone.body();
    EXPECT_FALSE(lists(anyone, secret));
    EXPECT_EQ(body(anyone)["event_types"].size(), 5u);
    const auto admin = get("action=event-types", std::string(kAdmin));
    EXPECT_TRUE(lists(admin, secret));
    EXPECT_FALSE(lists(get("action=event-types", "not-the-token"), secret));
}

TEST_F(CalendlyRoutesTest, PublicActionsRefuseEventTypesTheHostDoesNotOffer) {
    start();
    const std::string secret = *calendly::uuid_from_uri(fake->add_event_type("Board Review", "board-review", 30, true));
    const std::string inactive = *calendly::uuid_from_uri(fake->inactive_event_type_uri());
    for (const auto& id : {secret, inactive}) {
        expect_error(get("action=event-info&uuid=" + id), 404, "event_type_not_found");
        expect_error(get("action=availability&event_type=" + id + "&" + window(1, 7)), 404, "event_type_not_found");
        expect_error(post({{"action", "create-link"}, {"name", "Ada"}, {"email", "ada@example.com"}, {"event_type", id}}),
                     404, "event_type_not_found");
        expect_error(post({{"action", "book"}, {"event_type", id}, {"start_time", "2030-01-07T15:00:00Z"},
                           {"name", "Ada"}, {"email", "ada@example.com"}, {"timezone", "Europe/London"}}),
                     404, "event_type_not_found");
    }
    EXPECT_TRUE(fake->bookings().empty());
    EXPECT_EQ(fake->request_count("/scheduling_links"), 0u);
    EXPECT_EQ(fake->request_count("/event_type_available_times"), 0u);
}

TEST_F(CalendlyRoutesTest, EventInfoComesFromTheCachedListWithoutACalendlyCallEach) {
    start();
    ASSERT_EQ(get("action=event-info&uuid=" + first_event_type_uuid()).result_int(), 200u);
    fake->reset_counts();
    for (int i = 0; i < 5; ++i) ASSERT_EQ(get("action=event-info&uuid=" + first_event_type_uuid()).result_int(), 200u);
    EXPECT_EQ(fake->request_count(), 0u);
}

TEST_F(CalendlyRoutesTest, PublicReadsAreRateLimitedPerClientAddress) {
    read_limiter_ = std::make_unique<RateLimiter>(/*per_minute=*/1, /*burst=*/2);
    // Behind a trusted proxy each X-Forwarded-For client has its own bucket.
    server.config.trusted_proxies = parse_ip_networks("127.0.0.1/32").value();
    start();
    context_->public_read_limit = read_limiter_.get();
    auto from = [&](const std::string& client) {
        return test::http_request(server.port(), "GET", "/api/calendly?action=event-types", {{"X-Forwarded-For", client}});
    };
    EXPECT_EQ(from("198.51.100.1").result_int(), 200u);
    EXPECT_EQ(from("198.51.100.1").result_int(), 200u);
    const auto limited = from("198.51.100.1");
    expect_error(limited, 429, "rate_limited");
    EXPECT_FALSE(limited["Retry-After"].empty());
    EXPECT_EQ(from("198.51.100.2").result_int(), 200u) << "another client is not held back";
    // IPv6 clients count by /64: rotating addresses inside one does not buy more requests.
    EXPECT_EQ(from("2001:db8:1:2::1").result_int(), 200u);
    EXPECT_EQ(from("2001:db8:1:2::2").result_int(), 200u);
    expect_error(from("2001:db8:1:2::3"), 429, "rate_limited");
}

TEST_F(CalendlyRoutesTest, TheServiceBooksAtMostItsDailyBudget) {
    tools::BookingCaps caps({.bookings_per_day = 1, .links_per_day = 100}, clock);
    start();
    context_->booking_caps = &caps;
    const auto slots = body(get("action=availability&event_type=" + first_event_type_uuid() + "&" + window(1, 7)));
    auto book = [&](int slot, const std::string& email) {
        return post({{"action", "book"}, {"event_type", first_event_type_uuid()},
                     {"start_time", slots["available_times"][slot]["start_time"]}, {"name", "Ada Lovelace"},
                     {"email", email}, {"timezone", "Europe/London"}});
    };
    ASSERT_EQ(book(0, "ada@example.com").result_int(), 200u);
    const auto refused = book(1, "someone.else@example.com");
    expect_error(refused, 429, "daily_booking_limit_reached");
    EXPECT_FALSE(refused["Retry-After"].empty());
    EXPECT_EQ(fake->bookings().size(), 1u) << "nothing past the budget reaches Calendly";
}

TEST_F(CalendlyRoutesTest, PastTheDailyLinkBudgetTheEventTypesOwnPageIsOffered) {
    tools::BookingCaps caps({.bookings_per_day = 100, .links_per_day = 1}, clock);
    start();
    context_->booking_caps = &caps;
    const json request{{"action", "create-link"}, {"name", "Ada Lovelace"}, {"email", "ada@example.com"}};
    const auto first = post(request);
    ASSERT_EQ(first.result_int(), 200u) << first.body();
    EXPECT_FALSE(body(first)["fallback"].get<bool>());
    const auto second = post(request);
    ASSERT_EQ(second.result_int(), 200u) << second.body();
    EXPECT_TRUE(body(second)["fallback"].get<bool>());
    const std::string url = body(second)["booking_url"];
    EXPECT_EQ(url.rfind(fake->scheduling_url_of(fake->active_event_type_uris().front()), 0), 0u) << url;
    EXPECT_NE(url.find("email=ada%40example.com"), std::string::npos) << url;
    EXPECT_EQ(fake->request_count("/scheduling_links"), 1u);
}

}  // namespace
}  // namespace calrt::server

// find_my_bookings, cancel_booking and reschedule_booking against the fake Calendly over HTTP:
// nothing before the email is proven, only the person's own bookings, nothing changes without a
// yes, and a reschedule books the new time before it cancels the old one.
#include "calrt/tools/self_service_tools.hpp"

#include <gtest/gtest.h>

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/logging.hpp"
#include "support/running_fake_calendly.hpp"

namespace calrt::tools {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::FaultPlan;

constexpr std::string_view kConversation = "conversation-1";

calendly::CalendlyClientOptions client_options(const testing::FakeCalendly& fake) {
    calendly::CalendlyClientOptions options;
    options.base_url = fake.base_url();
    options.access_token = Secret(fake.access_token());
    options.http.request_timeout = 2s;
    options.retry.max_attempts = 1;
    options.retry.deadline = 3s;
    options.availability_cache_ttl = 0ms;  // every check sees the calendar as it is now
    return options;
}

std::string error_code(const json& result) {
    return result.contains("error") ? result["error"].value("code", "<no code>") : "<not an error>";
}

class SelfServiceToolsTest : public ::testing::Test {
  protected:
    SelfServiceToolsTest() {
        log::configure("warn", "text");
        context->record = [this](const SelfServiceChange& change) { changes.push_back(change); };
        thirty_minutes = fake->event_type_uri("30min");
        const auto slots = open_slots();
        if (slots.size() < 4) ADD_FAILURE() << "the fake offers fewer than 4 slots";
    }

    std::vector<calendly::AvailableTime> open_slots() {
        const Timestamp now = clock.now();
        auto slots = fake.run(client.available_times(thirty_minutes, {now, now + 24h * 7}));
        if (!slots) ADD_FAILURE() << slots.error().message;
        return slots ? *slots : std::vector<calendly::AvailableTime>{};
    }

    // Books the n-th open slot for `email`; the new event's URI.
    std::string book_for(const std::string& email, std::size_t nth = 0) {
        const auto slots = open_slots();
        if (slots.size() <= nth) {
            ADD_FAILURE() << "no open slot " << nth;
            return {};
        }
        auto invitee = fake.run(client.create_invitee({thirty_minutes, slots[nth].start_time, "Ada Lovelace", email,
                                                       "Europe/Berlin", test::fake_meeting_location()}));
        if (!invitee) ADD_FAILURE() << invitee.error().message;
        return invitee ? invitee->event : std::string{};
    }

    void verify(const std::string& email) {
        auto issued = codes.issue(kConversation, email, "198.51.100.1");
        ASSERT_TRUE(issued);
        ASSERT_EQ(codes.check(kConversation, email, issued->code), identity::CodeCheck::verified);
    }

    json run(boost::asio::awaitable<json> call) { return fake.run(std::move(call)); }

    test::RunningFakeCalendly fake;
    MetricsRegistry metrics;
    SystemClock clock;
    calendly::CalendlyClient client{fake.io.get_executor(), client_options(*fake), metrics, clock};
    identity::VerificationCodes codes{identity::CodePolicy{}, clock};
    std::shared_ptr<SelfServiceToolContext> context = std::make_shared<SelfServiceToolContext>(
        SelfServiceToolContext{client, codes, clock, std::string(kConversation), TimeZone::utc()});
    std::vector<SelfServiceChange> changes;
    std::string thirty_minutes;
};

TEST_F(SelfServiceToolsTest, NothingIsRevealedOrChangedBeforeTheEmailIsProven) {
    const std::string event = book_for("ada@example.com");
    fake->reset_counts();
    for (const json& result :
         {run(find_my_bookings(*context, {{"email", "ada@example.com"}})),
          run(cancel_booking(*context, {{"email", "ada@example.com"}, {"event", event}, {"confirmed", true}})),
          run(reschedule_booking(*context, {{"email", "ada@example.com"},
                                            {"event", event},
                                            {"new_start_time", format_rfc3339(open_slots().at(1).start_time)},
                                            {"confirmed", true}}))}) {
        EXPECT_EQ(error_code(result), "verification_required") << result.dump();
        EXPECT_EQ(result.dump().find(event), std::string::npos);
    }
    // The tools asked Calendly nothing about the person (the last availability call is the test's).
    EXPECT_EQ(fake->request_count("/scheduled_events"), 0u);
    EXPECT_TRUE(fake->cancellations().empty());
}

TEST_F(SelfServiceToolsTest, AProofInAnotherConversationDoesNotCount) {
    auto issued = codes.issue("conversation-2", "ada@example.com", "198.51.100.1");
    ASSERT_TRUE(issued);
    ASSERT_EQ(codes.check("conversation-2", "ada@example.com", issued->code), identity::CodeCheck::verified);
    EXPECT_EQ(error_code(run(find_my_bookings(*context, {{"email", "ada@example.com"}}))), "verification_required");
}

TEST_F(SelfServiceToolsTest, FindsOnlyThePersonsOwnUpcomingBookings) {
    const std::string mine = book_for("ada@example.com");
    const std::string theirs = book_for("bob@example.com");
    verify("ADA@example.com");
    const json result = run(find_my_bookings(*context, {{"email", "ada@example.com"}}));
    ASSERT_TRUE(result.contains("bookings")) << result.dump();
    ASSERT_EQ(result["bookings"].size(), 1u) << result.dump();
    EXPECT_EQ(result["bookings"][0]["event"], mine);
    EXPECT_FALSE(result["bookings"][0]["cancel_url"].get<std::string>().empty());
    EXPECT_FALSE(result["bookings"][0]["reschedule_url"].get<std::string>().empty());
    EXPECT_EQ(result.dump().find(theirs), std::string::npos);
    EXPECT_NE(result["message"].get<std::string>().find("One upcoming meeting"), std::string::npos);
}

TEST_F(SelfServiceToolsTest, CancellingWithoutAYesChangesNothingAndSaysWhatWouldChange) {
    const std::string event = book_for("ada@example.com");
    verify("ada@example.com");
    const json result = run(cancel_booking(*context, {{"email", "ada@example.com"}, {"event", event}}));
    EXPECT_EQ(result["confirmation_needed"], true) << result.dump();
    EXPECT_NE(result["message"].get<std::string>().find("cancel the 30 Minute Meeting on"), std::string::npos);
    EXPECT_TRUE(fake->cancellations().empty());
    EXPECT_TRUE(changes.empty());
}

TEST_F(SelfServiceToolsTest, CancellingAfterAYesCancelsWithTheInviteesReasonAndIsRecorded) {
    const std::string event = book_for("ada@example.com");
    verify("ada@example.com");
    const json result = run(cancel_booking(
        *context, {{"email", "ada@example.com"}, {"event", event}, {"reason", "I am ill"}, {"confirmed", true}}));
    EXPECT_EQ(result["cancelled"], true) << result.dump();
    EXPECT_EQ(result["booking"]["status"], "canceled");
    const auto cancellations = fake->cancellations();
    ASSERT_EQ(cancellations.size(), 1u);
    EXPECT_EQ(cancellations[0].event_uri, event);
    EXPECT_EQ(cancellations[0].reason,
              "Canceled by the invitee (ada@example.com) through the booking assistant: I am ill");
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].action, "cancel");
    EXPECT_EQ(changes[0].email, "ada@example.com");
    EXPECT_EQ(changes[0].event_uri, event);
    EXPECT_EQ(changes[0].conversation_id, kConversation);
}

TEST_F(SelfServiceToolsTest, SomeoneElsesBookingCannotBeCancelledWithAProvenEmail) {
    const std::string theirs = book_for("bob@example.com");
    verify("ada@example.com");
    const json result =
        run(cancel_booking(*context, {{"email", "ada@example.com"}, {"event", theirs}, {"confirmed", true}}));
    EXPECT_EQ(error_code(result), "booking_not_found") << result.dump();
    EXPECT_TRUE(fake->cancellations().empty());
}

TEST_F(SelfServiceToolsTest, NoChangeCloserToTheStartThanTheHostAllows) {
    const std::string event = book_for("ada@example.com");
    verify("ada@example.com");
    context->min_notice = std::chrono::hours(24 * 30);
    context->fallback_url = "https://calendly.com/alex-rivera";
    const json result =
        run(cancel_booking(*context, {{"email", "ada@example.com"}, {"event", event}, {"confirmed", true}}));
    EXPECT_EQ(error_code(result), "too_late_to_change") << result.dump();
    EXPECT_NE(result["error"]["message"].get<std::string>().find("https://calendly.com/alex-rivera"),
              std::string::npos);
    EXPECT_TRUE(fake->cancellations().empty());
}

TEST_F(SelfServiceToolsTest, ReschedulingBooksTheNewTimeThenCancelsTheOldOne) {
    const std::string old_event = book_for("ada@example.com");
    verify("ada@example.com");
    const auto new_start = open_slots().at(2).start_time;
    const json arguments{{"email", "ada@example.com"}, {"event", old_event}, {"new_start_time", format_rfc3339(new_start)}};

    const json asked = run(reschedule_booking(*context, arguments));
    EXPECT_EQ(asked["confirmation_needed"], true) << asked.dump();
    EXPECT_EQ(fake->bookings().size(), 1u);
    EXPECT_TRUE(fake->cancellations().empty());

    json confirmed_arguments = arguments;
    confirmed_arguments["confirmed"] = true;
    const json result = run(reschedule_booking(*context, confirmed_arguments));
    ASSERT_EQ(result["rescheduled"], true) << result.dump();
    const auto bookings = fake->bookings();
    ASSERT_EQ(bookings.size(), 2u);
    EXPECT_EQ(bookings[1].start_time, new_start);
    EXPECT_EQ(bookings[1].email, "ada@example.com");
    EXPECT_EQ(bookings[1].timezone, "Europe/Berlin");
    EXPECT_EQ(result["new_booking"]["event"], bookings[1].event_uri);
    const auto cancellations = fake->cancellations();
    ASSERT_EQ(cancellations.size(), 1u);
    EXPECT_EQ(cancellations[0].event_uri, old_event);
    EXPECT_NE(cancellations[0].reason.find("Rescheduled by the invitee through the booking assistant to"),
              std::string::npos);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].action, "reschedule");
    EXPECT_EQ(changes[0].outcome, "done");
    EXPECT_EQ(changes[0].new_event_uri, bookings[1].event_uri);
}

TEST_F(SelfServiceToolsTest, ANewBookingThatFailsLeavesTheOldOneBooked) {
    const std::string old_event = book_for("ada@example.com");
    verify("ada@example.com");
    const auto new_start = open_slots().at(2).start_time;
    fake->inject("/invitees", FaultPlan::error(500, 5));
    const json result = run(reschedule_booking(
        *context,
        {{"email", "ada@example.com"}, {"event", old_event}, {"new_start_time", format_rfc3339(new_start)}, {"confirmed", true}}));
    EXPECT_TRUE(result.contains("error")) << result.dump();
    EXPECT_NE(result["error"]["message"].get<std::string>().find("is still booked"), std::string::npos);
    EXPECT_TRUE(fake->cancellations().empty());
    EXPECT_TRUE(changes.empty());
}

TEST_F(SelfServiceToolsTest, ATimeThatIsNotOpenChangesNothing) {
    const std::string old_event = book_for("ada@example.com");
    const std::string other = book_for("bob@example.com", 1);
    verify("ada@example.com");
    const auto taken = fake.run(client.scheduled_event(*calendly::uuid_from_uri(other)));
    ASSERT_TRUE(taken);
    const json result = run(reschedule_booking(*context, {{"email", "ada@example.com"},
                                                          {"event", old_event},
                                                          {"new_start_time", format_rfc3339(taken->start_time)},
                                                          {"confirmed", true}}));
    EXPECT_EQ(error_code(result), "slot_unavailable") << result.dump();
    EXPECT_EQ(fake->bookings().size(), 2u);
    EXPECT_TRUE(fake->cancellations().empty());
}

TEST_F(SelfServiceToolsTest, AGroupEventIsNeverCancelledOrMovedForOneInvitee) {
    const std::string group = fake->add_event_type("Workshop", "workshop", 60, false, 5);
    const Timestamp now = clock.now();
    auto slots = fake.run(client.available_times(group, {now, now + 24h * 7}));
    ASSERT_TRUE(slots && slots->size() >= 2);
    const auto start = slots->front().start_time;
    const calendly::InviteeLocation location{"google_conference", std::nullopt};
    auto ada = fake.run(client.create_invitee({group, start, "Ada Lovelace", "ada@example.com", "UTC", location}));
    auto bob = fake.run(client.create_invitee({group, start, "Bob Byte", "bob@example.com", "UTC", location}));
    ASSERT_TRUE(ada && bob);
    ASSERT_EQ(ada->event, bob->event);  // one meeting, two invitees
    verify("ada@example.com");

    const json cancelled =
        run(cancel_booking(*context, {{"email", "ada@example.com"}, {"event", ada->event}, {"confirmed", true}}));
    EXPECT_EQ(cancelled["cancelled"], false) << cancelled.dump();
    EXPECT_EQ(cancelled["cancel_url"], ada->cancel_url.value_or("?"));
    const json moved = run(reschedule_booking(*context, {{"email", "ada@example.com"},
                                                         {"event", ada->event},
                                                         {"new_start_time", format_rfc3339(slots->at(1).start_time)},
                                                         {"confirmed", true}}));
    EXPECT_EQ(moved["rescheduled"], false) << moved.dump();
    EXPECT_EQ(moved["reschedule_url"], ada->reschedule_url.value_or("?"));
    EXPECT_TRUE(fake->cancellations().empty());
    EXPECT_EQ(fake->bookings().size(), 2u);
}

TEST_F(SelfServiceToolsTest, CancelAndRescheduleAreToolsWithAnEffect) {
    EXPECT_TRUE(cancel_booking_spec().has_effect);
    EXPECT_TRUE(reschedule_booking_spec().has_effect);
    EXPECT_FALSE(find_my_bookings_spec().has_effect);
}

}  // namespace
}  // namespace calrt::tools

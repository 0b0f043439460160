// Two replicas of the service binary on one PostgreSQL database (issue 10): a booking made in a
// conversation on replica B, whose webhook Calendly delivers to replica A, is confirmed live on B;
// the same delivery posted to B is a duplicate; and behind nginx (deploy/nginx's sample config),
// SIGKILL of a replica during a stream of deliveries loses none that was acknowledged. The daily
// caps on bookings and links hold across both replicas, and on SQLite across a restart (issue 22).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/time.hpp"
#include "calrt/net/websocket_client.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_test_client.hpp"
#include "support/io_threads.hpp"
#include "support/nginx_proxy.hpp"
#include "support/postgres_cluster.hpp"
#include "support/realtime_events_reader.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_signature.hpp"
#include "support/webhook_envelope.hpp"
#include "support/webhook_store_support.hpp"
#include "testing/fake_calendly/fault_plan.hpp"

namespace calrt {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr std::string_view kSigningKey = "replicas-signing-key";

bool answers(std::uint16_t port, std::string_view target, unsigned status) {
    try {
        return test::http_request(port, "GET", target).result_int() == status;
    } catch (const std::exception&) {
        return false;
    }
}

// A replica logs at warn level: an info line per request would fill the stderr pipe that nobody
// reads during a stream of deliveries, so the port is chosen here rather than announced.
struct Replica {
    Replica(const test::TempDir& dir, std::map<std::string, std::string> environment,
            std::vector<std::string> args = {})
        : port(test::free_port()) {
        environment["PORT"] = std::to_string(port);
        environment.try_emplace("DATA_DIR",
                                (dir.path() / ("data-" + std::to_string(port))).string());
        environment["WEB_ROOT"] = std::string(CALRT_SOURCE_DIR) + "/web";
        environment["LOG_LEVEL"] = "warn";
        process = std::make_unique<test::ChildProcess>(CALRT_BINARY, args, environment,
                                                       dir.path().string());
    }
    bool ready() const {
        return test::wait_until([&] { return answers(port, "/readyz", 200); }, 20s);
    }
    std::uint16_t port;
    std::unique_ptr<test::ChildProcess> process;
};

test::HttpResponse post_delivery(std::uint16_t port, const std::string& body) {
    return test::http_request(
        port, "POST", "/api/calendly/webhook",
        {{"Content-Type", "application/json"},
         {"Calendly-Webhook-Signature",
          test::calendly_signature(std::string(kSigningKey), test::unix_now(), body)}},
        body);
}

// The REST API's book and create-link on one replica, as a public (unauthenticated) client.
test::HttpResponse post_action(std::uint16_t port, const json& body) {
    return test::http_request(port, "POST", "/api/calendly", {{"Content-Type", "application/json"}},
                              body.dump());
}

json booking(const std::string& event_type_uuid, const std::string& start,
             const std::string& email) {
    return {{"action", "book"},    {"event_type", event_type_uuid},
            {"start_time", start}, {"name", "Ada Lovelace"},
            {"email", email},      {"timezone", "Europe/London"}};
}

std::string error_code_of(const test::HttpResponse& response) {
    const json body = json::parse(response.body(), nullptr, false);
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

// GET action=availability of the type from tomorrow for `days` days.
std::string availability_target(const std::string& event_type_uuid, int days) {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    const auto day_text = [](std::chrono::sys_days day) {
        return format_rfc3339(Timestamp(
            std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch())));
    };
    return "/api/calendly?action=availability&event_type=" + event_type_uuid +
           "&start_time=" + day_text(today + std::chrono::days(1)) +
           "&end_time=" + day_text(today + std::chrono::days(1 + days));
}

// Open starts of the type over the next week, as GET action=availability lists them.
std::vector<std::string> open_starts(std::uint16_t port, const std::string& event_type_uuid) {
    const auto answer = test::http_request(port, "GET", availability_target(event_type_uuid, 6));
    std::vector<std::string> starts;
    const json body = json::parse(answer.body(), nullptr, false);
    if (answer.result_int() != 200 || !body.contains("available_times")) {
        ADD_FAILURE() << answer.body();
        return starts;
    }
    for (const auto& slot : body["available_times"]) starts.push_back(slot.value("start_time", ""));
    return starts;
}

class ReplicasProcess : public ::testing::Test {
  protected:
    std::string ask(net::WebSocket& browser, const std::string& text) {
        EXPECT_TRUE(io.run(browser.write(test::user_message(text).dump())));
        EXPECT_TRUE(io.run(browser.write(json{{"type", "response.create"}}.dump())));
        if (!test::read_events_until(io, browser, log,
                                     test::event_of_type("response.output_text.done"))) {
            return {};
        }
        return log.events.back().value("text", "");
    }

    net::WebSocket open_conversation(std::uint16_t port) {
        net::HeaderList headers;
        headers.emplace_back("Origin", "http://127.0.0.1:" + std::to_string(port));
        auto connected = io.run(net::connect_websocket(
            io.io.get_executor(), "ws://127.0.0.1:" + std::to_string(port) + "/api/realtime",
            headers, {}));
        if (!connected) throw std::runtime_error(connected.error().message);
        const json text_answers = {
            {"type", "session.update"},
            {"session", {{"type", "realtime"}, {"output_modalities", {"text"}}}}};
        EXPECT_TRUE(io.run(connected->write(text_answers.dump())));
        return std::move(*connected);
    }

    // A replica's environment against `calendly`, with `more` settings.
    static std::map<std::string, std::string> calendly_environment(
        test::RunningFakeCalendly& calendly, std::map<std::string, std::string> more) {
        more.emplace("CALENDLY_API_KEY", calendly->access_token());
        more.emplace("CALENDLY_API_BASE_URL", calendly->base_url());
        more.emplace("CALENDLY_WEBHOOK_SECRET", std::string(kSigningKey));
        return more;
    }

    test::IoThreads io;
    test::EventLog log;
    test::TempDir dir;
    const std::string database_url = test::fresh_database_url();
};

TEST_F(ReplicasProcess, DeliveryToReplicaAIsConfirmedLiveOnReplicaBAndIsADuplicateThere) {
    test::RunningFakeCalendly calendly;
    std::map<std::string, std::string> environment{
        {"CALENDLY_API_KEY", calendly->access_token()},
        {"CALENDLY_API_BASE_URL", calendly->base_url()},
        {"CALENDLY_WEBHOOK_SECRET", std::string(kSigningKey)}};
    Replica a(dir, environment, {"--database-url", database_url});  // the flag works as well
    environment["DATABASE_URL"] = database_url;
    Replica b(dir, environment);
    ASSERT_TRUE(a.ready()) << a.process->drain_stderr();
    ASSERT_TRUE(b.ready()) << b.process->drain_stderr();
    // Calendly knows one webhook URL; here it is replica A's.
    calendly->subscribe_webhooks(
        "http://127.0.0.1:" + std::to_string(a.port) + "/api/calendly/webhook",
        std::string(kSigningKey));

    net::WebSocket browser = open_conversation(b.port);
    ask(browser, "What meeting types are there?");
    const std::string offer = ask(browser, "Is the 30 minute meeting available?");
    const auto say = offer.find("say: \"");
    ASSERT_NE(say, std::string::npos) << offer;
    std::string phrase = offer.substr(say + 6, offer.find('"', say + 6) - say - 6);
    phrase.replace(phrase.find("<your name>"), 11, "Ada Lovelace");
    phrase.replace(phrase.find("<your email>"), 12, "ada@example.com");
    const std::string booked = ask(browser, phrase);
    EXPECT_NE(booked.find("Booked: the 30 Minute Meeting"), std::string::npos) << booked;

    // A stores the delivery; PostgreSQL announces it; B's relay confirms it in the conversation.
    ASSERT_TRUE(test::read_events_until(io, browser, log, [](const json& event) {
        return event.value("type", "") == "conversation.item.added" &&
               event["item"].value("role", "") == "system";
    }));
    ASSERT_TRUE(test::read_events_until(io, browser, log,
                                        test::event_of_type("response.output_text.done")));
    const std::string announcement = log.events.back().value("text", "");
    EXPECT_NE(announcement.find("ada@example.com"), std::string::npos) << announcement;

    // The fake records a delivery once A's answer is in, which may be after B has announced it.
    ASSERT_TRUE(test::wait_until([&] { return !calendly->webhook_deliveries().empty(); }, 10s));
    const auto deliveries = calendly->webhook_deliveries();
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].status, 200u) << deliveries[0].error;
    EXPECT_NE(deliveries[0].url.find(":" + std::to_string(a.port) + "/"), std::string::npos);

    // Calendly's retry of the same delivery, reaching the other replica.
    const auto redelivered = post_delivery(b.port, deliveries[0].body);
    EXPECT_EQ(redelivered.result_int(), 200);
    EXPECT_EQ(json::parse(redelivered.body()).value("duplicate", false), true)
        << redelivered.body();
}

TEST_F(ReplicasProcess, BehindNginxNoAcknowledgedDeliveryIsLostWhenAReplicaIsKilled) {
    // Sandbox Calendly in each replica; the signing key is shared so either accepts a delivery.
    const std::map<std::string, std::string> environment{
        {"DATABASE_URL", database_url}, {"CALENDLY_WEBHOOK_SECRET", std::string(kSigningKey)}};
    Replica a(dir, environment);
    Replica b(dir, environment);
    ASSERT_TRUE(a.ready()) << a.process->drain_stderr();
    ASSERT_TRUE(b.ready()) << b.process->drain_stderr();
    test::NginxProxy nginx({a.port, b.port});
    EXPECT_TRUE(answers(nginx.port(), "/readyz", 200));
    // The relay's WebSocket upgrade passes through the sample config.
    net::WebSocket browser = open_conversation(nginx.port());
    EXPECT_TRUE(test::read_events_until(io, browser, log, test::event_of_type("session.updated")));

    std::mutex mutex;
    std::set<std::string> acknowledged;
    std::atomic<bool> stop{false};
    std::vector<std::jthread> senders;
    for (int t = 0; t < 4; ++t) {
        senders.emplace_back([&, t] {
            for (int i = 0; !stop; ++i) {
                const std::string uri = test::invitee_uri(t * 1'000'000 + i);
                try {
                    const auto response =
                        post_delivery(nginx.port(), test::webhook_envelope("invitee.created", uri));
                    if (response.result_int() != 200)
                        continue;  // not acknowledged: Calendly retries
                    std::lock_guard lock(mutex);
                    acknowledged.insert(uri);
                } catch (const std::exception&) {
                    // the connection broke with the replica: not acknowledged either
                }
            }
        });
    }
    const auto acknowledged_count = [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size();
    };
    ASSERT_TRUE(test::wait_until([&] { return acknowledged_count() >= 300; }, 30s));
    a.process->signal(SIGKILL);  // while deliveries are arriving through nginx
    a.process->wait_exit();
    const std::size_t at_kill = acknowledged_count();
    // Replica B goes on taking them.
    EXPECT_TRUE(test::wait_until([&] { return acknowledged_count() >= at_kill + 300; }, 30s));
    stop = true;
    senders.clear();

    MetricsRegistry metrics;
    store::StoreOptions options;
    options.database_url = Secret(database_url);
    options.data_dir = dir.path() / "reader";
    options.metrics = &metrics;
    auto store = store::WebhookStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    const std::set<std::string> stored = test::stored_payload_uris(**store);
    std::size_t lost = 0;
    for (const auto& uri : acknowledged) lost += stored.count(uri) == 0 ? 1 : 0;
    EXPECT_EQ(lost, 0u) << "of " << acknowledged.size() << " acknowledged deliveries";

    b.process->signal(SIGTERM);
    EXPECT_EQ(b.process->wait_exit(10s), 0);
}

}  // namespace
}  // namespace calrt

namespace calrt {
namespace {

TEST_F(ReplicasProcess, DailyBookingAndLinkCapsAreSharedByTheReplicas) {
    test::RunningFakeCalendly calendly;
    const auto environment = calendly_environment(calendly, {{"DATABASE_URL", database_url},
                                                             {"DAILY_BOOKING_LIMIT", "2"},
                                                             {"DAILY_BOOKINGS_PER_EMAIL", "1"},
                                                             {"DAILY_LINK_LIMIT", "1"}});
    Replica a(dir, environment);
    Replica b(dir, environment);
    ASSERT_TRUE(a.ready()) << a.process->drain_stderr();
    ASSERT_TRUE(b.ready()) << b.process->drain_stderr();
    const std::string type = *calendly::uuid_from_uri(calendly->active_event_type_uris().front());
    const auto starts = open_starts(a.port, type);
    ASSERT_GE(starts.size(), 3u);

    const auto ada = post_action(a.port, booking(type, starts[0], "ada@example.com"));
    ASSERT_EQ(ada.result_int(), 200u) << ada.body();
    // The same person on the other replica: her email's one booking today is used.
    const auto ada_again = post_action(b.port, booking(type, starts[1], "ADA@example.com"));
    EXPECT_EQ(ada_again.result_int(), 429u) << ada_again.body();
    EXPECT_EQ(error_code_of(ada_again), "booking_quota_exceeded");
    const auto bob = post_action(b.port, booking(type, starts[1], "bob@example.com"));
    ASSERT_EQ(bob.result_int(), 200u) << bob.body();
    // Two bookings made, one on each replica: the service's two for today are used on both.
    const auto carol = post_action(a.port, booking(type, starts[2], "carol@example.com"));
    EXPECT_EQ(carol.result_int(), 429u) << carol.body();
    EXPECT_EQ(error_code_of(carol), "daily_booking_limit_reached");
    EXPECT_FALSE(carol["Retry-After"].empty());
    EXPECT_EQ(calendly->bookings().size(), 2u);

    const json link{
        {"action", "create-link"}, {"name", "Ada Lovelace"}, {"email", "ada@example.com"}};
    const auto first_link = post_action(b.port, link);
    ASSERT_EQ(first_link.result_int(), 200u) << first_link.body();
    EXPECT_FALSE(json::parse(first_link.body()).value("fallback", true));
    const auto second_link = post_action(a.port, link);
    ASSERT_EQ(second_link.result_int(), 200u) << second_link.body();
    EXPECT_TRUE(json::parse(second_link.body()).value("fallback", false))
        << "the day's one link was made on the other replica: the public page instead";
    EXPECT_EQ(calendly->request_count("/scheduling_links"), 1u);
}

TEST_F(ReplicasProcess, ARateLimitPauseOneReplicaLearntHoldsTheOther) {
    test::RunningFakeCalendly calendly;
    const auto environment = calendly_environment(calendly, {{"DATABASE_URL", database_url}});
    Replica a(dir, environment);
    Replica b(dir, environment);
    ASSERT_TRUE(a.ready()) << a.process->drain_stderr();
    ASSERT_TRUE(b.ready()) << b.process->drain_stderr();
    const std::string type = *calendly::uuid_from_uri(calendly->active_event_type_uris().front());
    const std::string availability = availability_target(type, 2);

    calendly->inject("/event_type_available_times",
                     testing::FaultPlan::rate_limited(std::chrono::hours(1)));
    const auto on_a = test::http_request(a.port, "GET", availability);
    EXPECT_EQ(on_a.result_int(), 429u) << on_a.body();
    const auto sent = calendly->request_count("/event_type_available_times");
    EXPECT_EQ(sent, 1u);

    // Replica B never heard the 429 from Calendly; it holds its request all the same.
    const auto on_b = test::http_request(b.port, "GET", availability);
    EXPECT_EQ(on_b.result_int(), 429u) << on_b.body();
    EXPECT_EQ(error_code_of(on_b), error_code_of(on_a));
    EXPECT_FALSE(on_b["Retry-After"].empty());
    EXPECT_EQ(calendly->request_count("/event_type_available_times"), sent)
        << "nothing was sent to Calendly";
}

TEST_F(ReplicasProcess, AnAddressesOpenSessionsAreCountedAcrossReplicas) {
    test::RunningFakeCalendly calendly;
    const auto environment = calendly_environment(
        calendly, {{"DATABASE_URL", database_url}, {"REALTIME_MAX_SESSIONS_PER_ADDRESS", "1"}});
    Replica a(dir, environment);
    Replica b(dir, environment);
    ASSERT_TRUE(a.ready()) << a.process->drain_stderr();
    ASSERT_TRUE(b.ready()) << b.process->drain_stderr();
    const auto upgrade_on = [](std::uint16_t port) {
        return test::http_request(port, "GET", "/api/realtime",
                                  {{"Upgrade", "websocket"},
                                   {"Connection", "Upgrade"},
                                   {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                   {"Sec-WebSocket-Version", "13"},
                                   {"Origin", "http://127.0.0.1"}});  // the Host the client sends
    };

    net::WebSocket on_a = open_conversation(a.port);
    ASSERT_FALSE(ask(on_a, "What meeting types are there?").empty());
    // The address's one place is held on replica A: replica B, which has no session of its own
    // from it, refuses.
    const auto refused = upgrade_on(b.port);
    EXPECT_EQ(refused.result_int(), 429u) << refused.body();
    EXPECT_EQ(error_code_of(refused), "too_many_sessions");
    EXPECT_FALSE(refused["Retry-After"].empty());

    // Once A's session ends its place is given back, and B takes it.
    io.run(on_a.close(net::close_code::normal, "bye"));
    EXPECT_TRUE(test::wait_until([&] { return upgrade_on(b.port).result_int() == 101u; }, 10s));
}

TEST_F(ReplicasProcess, OnSqliteTheDaysCapsOutliveARestart) {
    test::RunningFakeCalendly calendly;
    const auto environment = calendly_environment(
        calendly,
        {{"DATA_DIR", (dir.path() / "data").string()}, {"DAILY_BOOKINGS_PER_EMAIL", "1"}});
    const std::string type = *calendly::uuid_from_uri(calendly->active_event_type_uris().front());
    std::vector<std::string> starts;
    {
        Replica before(dir, environment);
        ASSERT_TRUE(before.ready()) << before.process->drain_stderr();
        starts = open_starts(before.port, type);
        ASSERT_GE(starts.size(), 2u);
        const auto ada = post_action(before.port, booking(type, starts[0], "ada@example.com"));
        ASSERT_EQ(ada.result_int(), 200u) << ada.body();
        before.process->signal(SIGTERM);
        ASSERT_EQ(before.process->wait_exit(15s), 0) << before.process->drain_stderr();
    }
    Replica after(dir, environment);
    ASSERT_TRUE(after.ready()) << after.process->drain_stderr();
    const auto again = post_action(after.port, booking(type, starts[1], "ada@example.com"));
    EXPECT_EQ(again.result_int(), 429u) << again.body();
    EXPECT_EQ(error_code_of(again), "booking_quota_exceeded");
    EXPECT_EQ(calendly->bookings().size(), 1u);
}

}  // namespace
}  // namespace calrt

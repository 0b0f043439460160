// Invitee self-service through the relay over real sockets: a browser-side WebSocket client ->
// the relay -> the fake Realtime server calling the tools -> the fake Calendly, with the one-time
// code read from a real SMTP server (python3-aiosmtpd) or, in sandbox mode, from the page's event.
#include <gtest/gtest.h>


#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>

#include "calrt/identity/mail_sender.hpp"
#include "calrt/identity/verification_codes.hpp"
#include "calrt/server/self_service_context.hpp"
#include "support/http_test_client.hpp"
#include "support/relay_test_fixture.hpp"
#include "support/running_smtp_server.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using calrt::testing::FakeToolCall;
using calrt::testing::FakeTurn;

constexpr const char* kEmail = "ada@example.com";

// Declared as a base before the relay fixture, so it is destroyed after the fixture has waited for
// the relay's sessions (which borrow it) to end.
struct SelfServiceParts {
    SystemClock parts_clock;
    identity::VerificationCodes codes{identity::CodePolicy{}, parts_clock};
    std::unique_ptr<test::RunningSmtpServer> smtp;
    std::unique_ptr<identity::MailSender> mail;
    std::unique_ptr<SelfServiceContext> self_service;
};

class RelaySelfServiceTest : protected SelfServiceParts, public test::RelayTestFixture {
  protected:
    // Starts the relay with self-service; codes by mail when `by_mail`, else on the page.
    void start_self_service(bool by_mail) {
        start();
        self_service = std::make_unique<SelfServiceContext>(SelfServiceContext{codes});
        self_service->min_notice = std::chrono::hours(0);
        if (by_mail) {
            smtp = std::make_unique<test::RunningSmtpServer>();
            identity::MailSettings settings;
            settings.url = smtp->url();
            settings.from = "Bookings <bookings@example.org>";
            settings.ca_file = smtp->ca_file();
            mail = std::make_unique<identity::MailSender>(settings);
            self_service->mail = mail.get();
        } else {
            self_service->codes_on_page = true;
        }
        relay_context->self_service = self_service.get();
    }

    // Proves kEmail in this conversation with the code the sandbox shows on the page.
    void prove_email(net::WebSocket& browser) {
        ASSERT_EQ(call(browser, "send me a code", "send_verification_code", {{"email", kEmail}}).value("sent", false),
                  true);
        const auto is_code = [](const json& e) { return e.value("type", "") == "calrt.sandbox_code"; };
        if (std::none_of(seen.begin(), seen.end(), is_code)) {
            ASSERT_TRUE(read_until(browser, is_code));
        }
        const auto shown = std::find_if(seen.rbegin(), seen.rend(), is_code);
        const json checked =
            call(browser, "my code is", "check_verification_code", {{"email", kEmail}, {"code", (*shown)["code"]}});
        ASSERT_EQ(checked.value("verified", false), true) << checked.dump();
    }

    std::string book_for_ada() {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock.now());
        const std::string type = fake_calendly.event_type_uri("30min");
        auto slots = io.run(calendly_client->available_times(type, {now + 1h, now + 24h * 7}));
        if (!slots || slots->empty()) {
            ADD_FAILURE() << "no open slot";
            return {};
        }
        auto invitee = io.run(calendly_client->create_invitee(
            {type, slots->front().start_time, "Ada Lovelace", kEmail, "UTC",
             calendly::InviteeLocation{"google_conference", std::nullopt}}));
        if (!invitee) ADD_FAILURE() << invitee.error().message;
        return invitee ? invitee->event : std::string{};
    }

    // Says `text`, which the fake Realtime answers by calling `tool`; the tool's result.
    json call(net::WebSocket& browser, const std::string& text, const std::string& tool, json arguments) {
        fake_realtime.on_user_text(text, FakeTurn::calling({FakeToolCall{tool, std::move(arguments)}}));
        say(browser, text);
        const bool got = read_until(browser, [&](const json& event) {
            return event.value("type", "") == "calrt.tool_result" && event.value("name", "") == tool;
        });
        if (!got) return json{{"missing", tool}};
        json result = seen.back()["result"];
        // The turn ends with the answer the tool's output caused. The server refuses a response.create
        // while a response is active (conversation_already_has_active_response), so the next turn
        // must not start before this one is done.
        read_until(browser, [](const json& event) {
            if (event.value("type", "") != "response.done") return false;
            const json output = event["response"].value("output", json::array());
            return std::any_of(output.begin(), output.end(),
                               [](const json& item) { return item.value("type", "") == "message"; });
        });
        return result;
    }

    // The last sandbox code the page was shown for `email`. The relay writes it before the tool's
    // result, so call() has read it already.
    std::string page_code_for(const std::string& email) const {
        for (auto event = seen.rbegin(); event != seen.rend(); ++event) {
            if (event->value("type", "") == "calrt.sandbox_code" && event->value("email", "") == email) {
                return event->value("code", "");
            }
        }
        ADD_FAILURE() << "no sandbox code was shown for " << email;
        return {};
    }

    // The first run of exactly six digits in `text` (not std::regex: GCC 12 with sanitizers warns
    // inside <regex>).
    static std::string six_digits(const std::string& text) {
        const auto digit = [](char c) { return c >= '0' && c <= '9'; };
        for (std::size_t at = 0; at < text.size();) {
            if (!digit(text[at])) {
                ++at;
                continue;
            }
            std::size_t end = at;
            while (end < text.size() && digit(text[end])) ++end;
            if (end - at == 6) return text.substr(at, 6);
            at = end;
        }
        return {};
    }
};

TEST_F(RelaySelfServiceTest, AnEmailProvenWithTheMailedCodeSeesItsBookingsAndNothingBefore) {
    if (!test::RunningSmtpServer::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
    start_self_service(true);
    const std::string event = book_for_ada();
    auto browser = open();

    const json before = call(browser, "what did I book", "find_my_bookings", {{"email", kEmail}});
    EXPECT_EQ(before["error"]["code"], "verification_required") << before.dump();
    EXPECT_EQ(before.dump().find(event), std::string::npos);

    const json sent = call(browser, "send me a code", "send_verification_code", {{"email", kEmail}});
    ASSERT_EQ(sent.value("sent", false), true) << sent.dump();
    const auto mails = smtp->wait_for(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].recipients, std::vector<std::string>{kEmail});
    EXPECT_TRUE(mails[0].tls);
    const std::string code = six_digits(test::mail_part(mails[0].raw, "text/plain"));
    ASSERT_EQ(code.size(), 6u) << mails[0].raw;
    // The code went by mail only: not to the page, not to the model.
    for (const auto& seen_event : seen) EXPECT_EQ(seen_event.dump().find(code), std::string::npos);

    const json checked = call(browser, "my code is", "check_verification_code", {{"email", kEmail}, {"code", code}});
    EXPECT_EQ(checked.value("verified", false), true) << checked.dump();
    const json after = call(browser, "show my bookings", "find_my_bookings", {{"email", kEmail}});
    ASSERT_TRUE(after.contains("bookings")) << after.dump();
    ASSERT_EQ(after["bookings"].size(), 1u);
    EXPECT_EQ(after["bookings"][0]["event"], event);
}

TEST_F(RelaySelfServiceTest, InSandboxModeTheCodeAppearsOnThePageMarkedAsSandbox) {
    start_self_service(false);
    auto browser = open();
    const json sent = call(browser, "send me a code", "send_verification_code", {{"email", kEmail}});
    ASSERT_EQ(sent.value("sent", false), true) << sent.dump();
    std::string code;
    for (const auto& event : seen) {
        if (event.value("type", "") == "calrt.sandbox_code") {
            code = event.value("code", "");
            EXPECT_NE(event.value("note", "").find("Sandbox mode"), std::string::npos);
        }
    }
    if (code.empty()) {
        ASSERT_TRUE(read_until(browser, of_type("calrt.sandbox_code")));
        code = seen.back().value("code", "");
    }
    ASSERT_EQ(code.size(), 6u);
    const json checked = call(browser, "my code is", "check_verification_code", {{"email", kEmail}, {"code", code}});
    EXPECT_EQ(checked.value("verified", false), true) << checked.dump();
}

TEST_F(RelaySelfServiceTest, WithVerifiedEmailsRequiredTheAssistantBooksOnlyAnEmailProvenInTheConversation) {
    limits.response_burst = 20;  // six typed turns in a row
    start_self_service(false);
    self_service->booking_requires_verified_email = true;
    auto browser = open();
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(clock.now());
    const std::string type = fake_calendly.event_type_uri("30min");
    auto slots = io.run(calendly_client->available_times(type, {now + 1h, now + 24h * 7}));
    ASSERT_TRUE(slots && !slots->empty());
    const json booking{{"event_type", type}, {"start_time", format_rfc3339(slots->front().start_time)},
                       {"name", "Ada Lovelace"}, {"email", kEmail}, {"timezone", "UTC"}};

    const json refused = call(browser, "book it", "book_meeting", booking);
    EXPECT_EQ(refused["error"]["code"], "email_not_verified") << refused.dump();
    EXPECT_TRUE(fake_calendly.bookings().empty());

    // Proving another address does not open bookings for this one.
    const json other = call(browser, "send a code to bob", "send_verification_code", {{"email", "bob@example.com"}});
    ASSERT_EQ(other.value("sent", false), true) << other.dump();
    const json bob = call(browser, "bob's code is", "check_verification_code",
                          {{"email", "bob@example.com"}, {"code", page_code_for("bob@example.com")}});
    ASSERT_EQ(bob.value("verified", false), true) << bob.dump();
    EXPECT_EQ(call(browser, "book it again", "book_meeting", booking)["error"]["code"], "email_not_verified");
    EXPECT_TRUE(fake_calendly.bookings().empty());

    const json sent = call(browser, "send me a code", "send_verification_code", {{"email", kEmail}});
    ASSERT_EQ(sent.value("sent", false), true) << sent.dump();
    const json checked = call(browser, "my code is", "check_verification_code",
                              {{"email", kEmail}, {"code", page_code_for(kEmail)}});
    ASSERT_EQ(checked.value("verified", false), true) << checked.dump();
    const json booked = call(browser, "book it now", "book_meeting", booking);
    EXPECT_EQ(booked.value("booked", false), true) << booked.dump();
    EXPECT_EQ(fake_calendly.bookings().size(), 1u);
}

TEST_F(RelaySelfServiceTest, ACancellationConfirmedInAResponseThePersonCutOffChangesNothing) {
    limits.response_burst = 20;
    start_self_service(false);
    const std::string event = book_for_ada();
    auto browser = open();
    ASSERT_EQ(call(browser, "send me a code", "send_verification_code", {{"email", kEmail}}).value("sent", false), true);
    ASSERT_EQ(call(browser, "my code is", "check_verification_code", {{"email", kEmail}, {"code", page_code_for(kEmail)}})
                  .value("verified", false),
              true);

    // The model calls cancel_booking with the yes, but the person speaks before the response is
    // done ("no, wait"): the server cancels that response, and a tool with an effect never runs
    // for a call in a cancelled response.
    fake_realtime.on_user_text(
        "yes cancel it",
        FakeTurn::calling({FakeToolCall{"cancel_booking", {{"email", kEmail}, {"event", event}, {"confirmed", true}}}})
            .held(calrt::testing::FakeHold::after_items));
    fake_realtime.on_speech(FakeTurn::saying("Alright, your meeting stays as it is."));
    say(browser, "yes cancel it");
    ASSERT_TRUE(read_until(browser, of_type("response.output_item.done")));
    send(browser, {{"type", "input_audio_buffer.append"}, {"audio", calrt::testing::speech_pcm16_base64(300ms)}});
    ASSERT_TRUE(read_until(browser, [](const json& e) {
        return e.value("type", "") == "response.done" && e["response"].value("status", "") == "cancelled";
    }));
    send(browser, {{"type", "input_audio_buffer.append"}, {"audio", calrt::testing::silent_pcm16_base64(600ms)}});
    ASSERT_TRUE(read_until(browser, [](const json& e) {
        return e.value("type", "") == "response.done" && e["response"].value("status", "") == "completed";
    }));

    EXPECT_TRUE(fake_calendly.cancellations().empty());
    for (const auto& seen_event : seen) {
        EXPECT_FALSE(seen_event.value("type", "") == "calrt.tool_result" && seen_event.value("name", "") == "cancel_booking")
            << seen_event.dump();
    }
}

TEST_F(RelaySelfServiceTest, ACancellationIsRecordedInTheAuditLogThatTheHostReads) {
    start_self_service(false);
    self_service->audit_log = webhook_store.get();
    const std::string event = book_for_ada();
    auto browser = open();
    prove_email(browser);

    const json cancelled =
        call(browser, "yes, cancel it", "cancel_booking", {{"email", kEmail}, {"event", event}, {"confirmed", true}});
    ASSERT_EQ(cancelled.value("cancelled", false), true) << cancelled.dump();

    // Written beside the tool's answer: the host sees it once it has committed.
    json changes;
    EXPECT_TRUE(test::wait_until([&] {
        const auto response = test::http_request(relay_port(), "GET", "/api/calendly/self-service/changes",
                                                  {{"Authorization", "Bearer admin"}});
        if (response.result_int() != 200) return false;
        changes = json::parse(response.body(), nullptr, false)["changes"];
        return changes.is_array() && !changes.empty();
    }));
    ASSERT_EQ(changes.size(), 1u) << changes.dump();
    EXPECT_EQ(changes[0]["action"], "cancel");
    EXPECT_EQ(changes[0]["outcome"], "done");
    EXPECT_EQ(changes[0]["email"], kEmail);
    EXPECT_EQ(changes[0]["event_uri"], event);
    EXPECT_TRUE(changes[0]["conversation_id"].is_string() && !changes[0]["conversation_id"].get<std::string>().empty());
    EXPECT_FALSE(changes[0].contains("new_event_uri"));
    EXPECT_EQ(metrics.counter("calrt_self_service_audit_failures_total", "").value(), 0u);
}

TEST_F(RelaySelfServiceTest, AChangeTheAuditLogCannotRecordIsStillDoneAndCounted) {
    start_self_service(false);
    self_service->audit_log = webhook_store.get();
    const std::string event = book_for_ada();
    auto browser = open();
    prove_email(browser);
    // What a broken database looks like to the store: every INSERT into the log fails.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(webhook_store->database_file().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);  // the store may be committing the booking's webhook delivery
    EXPECT_EQ(sqlite3_exec(db, "DROP TABLE self_service_changes", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    const json cancelled =
        call(browser, "yes, cancel it", "cancel_booking", {{"email", kEmail}, {"event", event}, {"confirmed", true}});

    EXPECT_EQ(cancelled.value("cancelled", false), true) << "Calendly cancelled it: " << cancelled.dump();
    EXPECT_TRUE(test::wait_until(
        [&] { return metrics.counter("calrt_self_service_audit_failures_total", "").value() == 1u; }));
}

TEST_F(RelaySelfServiceTest, WithoutAMailServerTheAssistantIsToldItIsUnavailable) {
    start();
    self_service = std::make_unique<SelfServiceContext>(SelfServiceContext{codes});
    self_service->unavailable_reason = "no mail server is configured for the codes";
    relay_context->self_service = self_service.get();
    auto browser = open();
    const json sent = call(browser, "send me a code", "send_verification_code", {{"email", kEmail}});
    EXPECT_EQ(sent["error"]["code"], "self_service_unavailable") << sent.dump();
}

}  // namespace
}  // namespace calrt::server

// The service binary with its real store: acknowledged webhook deliveries survive SIGKILL, and the
// `webhooks` command manages subscriptions through the Calendly client.
#include "calrt/store/webhook_store.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/http_test_client.hpp"
#include "support/running_fake_calendly.hpp"
#include "support/running_server.hpp"
#include "support/temp_dir.hpp"
#include "support/test_signature.hpp"
#include "support/webhook_envelope.hpp"
#include "support/webhook_store_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

namespace calrt {
namespace {

using namespace std::chrono_literals;

// What `calendly-realtime webhooks ...` needs to act on `fake`.
std::map<std::string, std::string> webhooks_command_environment(test::RunningFakeCalendly& fake) {
    return {{"CALENDLY_API_KEY", fake->access_token()},
            {"CALENDLY_API_BASE_URL", fake->base_url()},
            {"CALENDLY_WEBHOOK_SECRET", "signing-key"},
            {"LOG_LEVEL", "warn"}};
}

TEST(ServiceWebhookProcess, EveryAcknowledgedDeliverySurvivesSigkill) {
    test::TempDir dir;
    const std::string key = "process-test-key";
    const auto port = test::free_port();
    test::ChildProcess child(CALRT_BINARY, {},
                             {{"PORT", std::to_string(port)}, {"DATA_DIR", (dir.path() / "data").string()},
                              {"CALENDLY_WEBHOOK_SECRET", key}, {"LOG_LEVEL", "error"}},
                             dir.path().string());
    ASSERT_TRUE(test::wait_until([&] {
        try {
            return test::http_request(port, "GET", "/healthz").result_int() == 200;
        } catch (const std::exception&) {
            return false;
        }
    }, 10s));

    std::mutex mutex;
    std::set<std::string> acknowledged;
    std::atomic<bool> killed{false};
    std::vector<std::jthread> senders;
    for (int t = 0; t < 4; ++t) {
        senders.emplace_back([&, t] {
            for (int i = 0; !killed; ++i) {
                const std::string uri = test::invitee_uri(t * 100000 + i);
                const std::string body = test::webhook_envelope("invitee.created", uri);
                try {
                    auto response = test::http_request(
                        port, "POST", "/api/calendly/webhook",
                        {{"Content-Type", "application/json"},
                         {"Calendly-Webhook-Signature", test::calendly_signature(key, test::unix_now(), body)}},
                        body);
                    if (response.result_int() != 200) return;
                    std::lock_guard lock(mutex);
                    acknowledged.insert(uri);
                } catch (const std::exception&) {
                    return;  // the process is gone
                }
            }
        });
    }
    ASSERT_TRUE(test::wait_until([&] {
        std::lock_guard lock(mutex);
        return acknowledged.size() >= 200;
    }, 20s));
    child.signal(SIGKILL);  // while deliveries are still arriving
    killed = true;
    senders.clear();
    child.wait_exit();

    store::StoreOptions options;
    options.data_dir = dir.path() / "data";
    auto store = store::WebhookStore::open(options);
    ASSERT_TRUE(store) << store.error().message;
    const std::set<std::string> stored = test::stored_payload_uris(**store);
    for (const auto& uri : acknowledged) EXPECT_TRUE(stored.count(uri)) << "acknowledged but lost: " << uri;
}

TEST(ServiceWebhookProcess, WebhooksCommandRegistersListsAndDeletesSubscriptions) {
    test::RunningFakeCalendly fake;
    test::TempDir dir;
    const auto env = webhooks_command_environment(fake);
    test::ChildProcess registered(CALRT_BINARY,
                                  {"webhooks", "register", "--url", "https://example.com/api/calendly/webhook",
                                   "--events", "invitee.created,invitee.canceled"},
                                  env, dir.path().string());
    ASSERT_EQ(registered.wait_exit(), 0) << registered.drain_stderr();
    const std::string output = registered.drain_stderr();
    const auto uri_end = output.find(' ');
    ASSERT_NE(uri_end, std::string::npos) << output;
    const std::string subscription = output.substr(0, uri_end);
    EXPECT_NE(output.find("invitee.created,invitee.canceled"), std::string::npos) << output;

    test::ChildProcess listed(CALRT_BINARY, {"webhooks", "list"}, env, dir.path().string());
    ASSERT_EQ(listed.wait_exit(), 0);
    EXPECT_NE(listed.drain_stderr().find(subscription), std::string::npos);

    test::ChildProcess deleted(CALRT_BINARY, {"webhooks", "delete", subscription}, env, dir.path().string());
    ASSERT_EQ(deleted.wait_exit(), 0) << deleted.drain_stderr();
    test::ChildProcess relisted(CALRT_BINARY, {"webhooks", "list"}, env, dir.path().string());
    ASSERT_EQ(relisted.wait_exit(), 0);
    EXPECT_EQ(relisted.drain_stderr().find(subscription), std::string::npos);

    test::ChildProcess bad_event(CALRT_BINARY, {"webhooks", "register", "--url", "https://x.example/h", "--events", "nope"},
                                 env, dir.path().string());
    EXPECT_EQ(bad_event.wait_exit(), 2);
}

TEST(ServiceWebhookProcess, WebhooksCommandRegistersAnOrganizationSubscriptionWithEventTypeChanges) {
    testing::FakeCalendlyOptions options;
    options.sandbox_team = true;
    test::RunningFakeCalendly fake(options);
    test::TempDir dir;
    const auto env = webhooks_command_environment(fake);
    test::ChildProcess registered(CALRT_BINARY,
                                  {"webhooks", "register", "--url", "https://example.com/api/calendly/webhook",
                                   "--scope", "organization"},
                                  env, dir.path().string());
    ASSERT_EQ(registered.wait_exit(), 0) << registered.drain_stderr();
    const std::string output = registered.drain_stderr();
    EXPECT_NE(output.find("invitee.created,invitee.canceled,event_type.created,event_type.updated,event_type.deleted"),
              std::string::npos)
        << output;
    const std::string subscription = output.substr(0, output.find(' '));

    // Listed under the organization, not under the token's user.
    test::ChildProcess organization(CALRT_BINARY, {"webhooks", "list", "--scope", "organization"}, env,
                                    dir.path().string());
    ASSERT_EQ(organization.wait_exit(), 0);
    EXPECT_NE(organization.drain_stderr().find(subscription), std::string::npos);
    test::ChildProcess user(CALRT_BINARY, {"webhooks", "list"}, env, dir.path().string());
    ASSERT_EQ(user.wait_exit(), 0);
    EXPECT_EQ(user.drain_stderr().find(subscription), std::string::npos);

    test::ChildProcess bad_scope(CALRT_BINARY,
                                 {"webhooks", "register", "--url", "https://x.example/h", "--scope", "group"}, env,
                                 dir.path().string());
    EXPECT_EQ(bad_scope.wait_exit(), 2);
    EXPECT_NE(bad_scope.drain_stderr().find("--scope is user or organization"), std::string::npos);
}

TEST(ServiceWebhookProcess, AUserTokenCannotRegisterForTheOrganization) {
    testing::FakeCalendlyOptions options;
    options.sandbox_team = true;
    options.token_role = "user";
    test::RunningFakeCalendly fake(options);
    test::TempDir dir;
    const auto env = webhooks_command_environment(fake);
    test::ChildProcess refused(CALRT_BINARY,
                               {"webhooks", "register", "--url", "https://example.com/api/calendly/webhook",
                                "--scope", "organization"},
                               env, dir.path().string());
    EXPECT_EQ(refused.wait_exit(), 1);
    EXPECT_NE(refused.drain_stderr().find("permission"), std::string::npos);
}

}  // namespace
}  // namespace calrt

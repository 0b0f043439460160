// The self-service audit log in the store (issue 23), on both backends: what a change records,
// newest first with cursor pages, the email and since filters, and the retention prune at start-up
// and while the store runs.
#include <gtest/gtest.h>

#include "calrt/store/webhook_store.hpp"
#include "support/io_threads.hpp"
#include "support/running_server.hpp"
#include "support/store_backend_fixture.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;

Timestamp now_ms() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
}

SelfServiceChangeRecord cancel_by(std::string email, int n, Timestamp at) {
    SelfServiceChangeRecord change;
    change.action = "cancel";
    change.outcome = "done";
    change.email = std::move(email);
    change.conversation_id = "req-" + std::to_string(n) + "-conv";
    change.event_uri = "https://api.calendly.com/scheduled_events/E" + std::to_string(n);
    change.old_start =
        Timestamp(std::chrono::sys_days(std::chrono::year(2027) / 1 / 15)) + std::chrono::hours(n);
    change.recorded_at = at;
    return change;
}

std::vector<std::string> events_of(const ChangePage& page) {
    std::vector<std::string> out;
    for (const auto& item : page.items) out.push_back(item.change.event_uri);
    return out;
}

std::string event(int n) {
    return "https://api.calendly.com/scheduled_events/E" + std::to_string(n);
}

class SelfServiceAuditLog : public test::StoreBackendTest {
  protected:
    std::unique_ptr<WebhookStore> open(
        std::chrono::days retention,
        std::chrono::milliseconds prune_interval = std::chrono::hours(1)) {
        auto options = store_options(metrics_);
        options.self_service_audit_retention = retention;
        options.retention_prune_interval = prune_interval;
        auto opened = WebhookStore::open(options);
        EXPECT_TRUE(opened) << opened.error().message;
        return opened ? std::move(*opened) : nullptr;
    }

    void record(WebhookStore& store, const SelfServiceChangeRecord& change) {
        auto id = store.record_change_blocking(change);
        ASSERT_TRUE(id) << id.error().message;
    }

    MetricsRegistry metrics_;
};

CALRT_FOR_BOTH_STORE_BACKENDS(SelfServiceAuditLog);

TEST_P(SelfServiceAuditLog, AChangeIsCommittedWhenTheAwaitableCompletesWithEveryField) {
    const Timestamp at = now_ms();
    auto move = cancel_by("Ada@Example.com", 1, at);
    move.action = "reschedule";
    move.new_event_uri = event(2);
    move.new_start = move.old_start + 48h;
    {
        // The io threads first: the store must be destroyed before the execution contexts of the
        // coroutines awaiting it (webhook_store.hpp).
        test::IoThreads io(1);
        auto store = open(std::chrono::days(365));
        ASSERT_TRUE(store);
        const auto moved = io.run(store->record_change(move));
        ASSERT_TRUE(moved) << moved.error().message;
        const auto cancelled = io.run(store->record_change(cancel_by("bob@example.com", 3, at)));
        ASSERT_TRUE(cancelled) << cancelled.error().message;
        EXPECT_GT(*cancelled, *moved);
    }

    // Another store on the same database (a restart, or another replica) reads what was committed.
    test::IoThreads io(1);
    auto reopened = open(std::chrono::days(365));
    ASSERT_TRUE(reopened);
    const auto page = io.run(reopened->list_changes(ChangeQuery{}));
    ASSERT_TRUE(page) << page.error().message;
    ASSERT_EQ(page->items.size(), 2u);
    const auto& cancel = page->items[0].change;
    EXPECT_EQ(cancel.action, "cancel");
    EXPECT_EQ(cancel.email, "bob@example.com");
    EXPECT_FALSE(cancel.new_event_uri);
    EXPECT_FALSE(cancel.new_start);
    const auto& listed = page->items[1].change;
    EXPECT_EQ(listed.action, "reschedule");
    EXPECT_EQ(listed.outcome, "done");
    EXPECT_EQ(listed.email, "Ada@Example.com") << "the address as it was proven";
    EXPECT_EQ(listed.conversation_id, move.conversation_id);
    EXPECT_EQ(listed.event_uri, move.event_uri);
    EXPECT_EQ(listed.old_start, move.old_start);
    EXPECT_EQ(listed.new_event_uri, move.new_event_uri);
    EXPECT_EQ(listed.new_start, move.new_start);
    EXPECT_EQ(listed.recorded_at, at);
    EXPECT_FALSE(page->next_cursor);
}

TEST_P(SelfServiceAuditLog, ListsNewestFirstInCursorPages) {
    auto store = open(std::chrono::days(365));
    ASSERT_TRUE(store);
    for (int n = 1; n <= 5; ++n) record(*store, cancel_by("ada@example.com", n, now_ms()));

    const auto first = store->list_changes_blocking(ChangeQuery{.limit = 2});
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(events_of(*first), (std::vector<std::string>{event(5), event(4)}));
    ASSERT_TRUE(first->next_cursor);
    const auto second =
        store->list_changes_blocking(ChangeQuery{.limit = 2, .cursor = first->next_cursor});
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(events_of(*second), (std::vector<std::string>{event(3), event(2)}));
    ASSERT_TRUE(second->next_cursor);
    const auto last =
        store->list_changes_blocking(ChangeQuery{.limit = 2, .cursor = second->next_cursor});
    ASSERT_TRUE(last) << last.error().message;
    EXPECT_EQ(events_of(*last), (std::vector<std::string>{event(1)}));
    EXPECT_FALSE(last->next_cursor);
}

TEST_P(SelfServiceAuditLog, FiltersByEmailWithoutRegardToCaseAcrossPages) {
    auto store = open(std::chrono::days(365));
    ASSERT_TRUE(store);
    record(*store, cancel_by("Ada@Example.com", 1, now_ms()));
    record(*store, cancel_by("bob@example.com", 2, now_ms()));
    record(*store, cancel_by("ada@example.com", 3, now_ms()));
    record(*store, cancel_by("adam@example.com", 4, now_ms()));

    const auto first =
        store->list_changes_blocking(ChangeQuery{.email = "ADA@example.COM", .limit = 1});
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(events_of(*first), (std::vector<std::string>{event(3)}));
    ASSERT_TRUE(first->next_cursor);
    const auto rest = store->list_changes_blocking(
        ChangeQuery{.email = "ADA@example.COM", .limit = 1, .cursor = first->next_cursor});
    ASSERT_TRUE(rest) << rest.error().message;
    EXPECT_EQ(events_of(*rest), (std::vector<std::string>{event(1)}));
    EXPECT_FALSE(rest->next_cursor);
}

TEST_P(SelfServiceAuditLog, FiltersBySince) {
    auto store = open(std::chrono::days(365));
    ASSERT_TRUE(store);
    const Timestamp now = now_ms();
    record(*store, cancel_by("ada@example.com", 1, now - 3h));
    record(*store, cancel_by("ada@example.com", 2, now - 1h));
    record(*store, cancel_by("ada@example.com", 3, now));

    const auto page = store->list_changes_blocking(ChangeQuery{.since = now - 1h});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(events_of(*page), (std::vector<std::string>{event(3), event(2)}))
        << "since is inclusive";
}

TEST_P(SelfServiceAuditLog, RefusesALimitOutOfRangeAndACursorItDidNotIssue) {
    auto store = open(std::chrono::days(365));
    ASSERT_TRUE(store);
    const auto zero = store->list_changes_blocking(ChangeQuery{.limit = 0});
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().code, "invalid_limit");
    const auto many = store->list_changes_blocking(ChangeQuery{.limit = kMaxListLimit + 1});
    ASSERT_FALSE(many);
    EXPECT_EQ(many.error().code, "invalid_limit");
    const auto forged = store->list_changes_blocking(ChangeQuery{.cursor = "not-a-cursor"});
    ASSERT_FALSE(forged);
    EXPECT_EQ(forged.error().code, "invalid_cursor");
}

TEST_P(SelfServiceAuditLog,
       ChangesOlderThanTheRetentionAreDeletedWhenTheStoreOpensAndZeroKeepsThem) {
    const Timestamp now = now_ms();
    {
        auto store = open(std::chrono::days(0));
        ASSERT_TRUE(store);
        record(*store, cancel_by("ada@example.com", 1, now - std::chrono::days(400)));
        record(*store, cancel_by("ada@example.com", 2, now - std::chrono::days(2)));
    }
    {
        auto forever = open(std::chrono::days(0));
        ASSERT_TRUE(forever);
        const auto kept = forever->list_changes_blocking(ChangeQuery{});
        ASSERT_TRUE(kept) << kept.error().message;
        EXPECT_EQ(events_of(*kept), (std::vector<std::string>{event(2), event(1)}))
            << "0 keeps every change";
    }

    auto store = open(std::chrono::days(365));
    ASSERT_TRUE(store);
    const auto page = store->list_changes_blocking(ChangeQuery{});
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(events_of(*page), (std::vector<std::string>{event(2)}));
}

TEST_P(SelfServiceAuditLog, ChangesThatExpireWhileTheStoreRunsAreDeletedByThePeriodicPrune) {
    auto store = open(std::chrono::days(30), 50ms);
    ASSERT_TRUE(store);
    const Timestamp now = now_ms();
    // Recorded after the prune at start-up: only the periodic one can remove it.
    record(*store, cancel_by("ada@example.com", 1, now - std::chrono::days(31)));
    record(*store, cancel_by("ada@example.com", 2, now - std::chrono::days(29)));

    EXPECT_TRUE(test::wait_until([&] {
        const auto page = store->list_changes_blocking(ChangeQuery{});
        return page && events_of(*page) == std::vector<std::string>{event(2)};
    }));
}

}  // namespace
}  // namespace calrt::store

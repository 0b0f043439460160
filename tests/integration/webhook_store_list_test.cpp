// Listing stored deliveries, on both backends: newest first, filters, and cursor pagination.
#include <gtest/gtest.h>

#include "calrt/store/webhook_store.hpp"
#include "support/store_backend_fixture.hpp"
#include "support/webhook_store_support.hpp"

namespace calrt::store {
namespace {

using namespace std::chrono_literals;

class WebhookStoreList : public test::StoreBackendTest {
  protected:
    void SetUp() override {
        auto opened = WebhookStore::open(store_options(metrics_));
        ASSERT_TRUE(opened) << opened.error().message;
        store_ = std::move(*opened);
    }

    // Stores one delivery received at `t0 + minutes` and returns its id.
    std::int64_t add(std::string_view event, int n, int minutes) {
        auto outcome = store_->store_blocking(
            test::webhook_delivery(event, n, t0 + std::chrono::minutes(minutes)));
        EXPECT_TRUE(outcome) << outcome.error().message;
        return outcome ? outcome->id : 0;
    }

    static std::vector<std::int64_t> ids(const ListPage& page) {
        std::vector<std::int64_t> out;
        for (const auto& item : page.items) out.push_back(item.id);
        return out;
    }

    const std::chrono::system_clock::time_point t0 =
        std::chrono::system_clock::time_point(1'700'000'000s);
    MetricsRegistry metrics_;
    std::unique_ptr<WebhookStore> store_;
};

CALRT_FOR_BOTH_STORE_BACKENDS(WebhookStoreList);

TEST_P(WebhookStoreList, ListsNewestFirst) {
    const auto a = add("invitee.created", 1, 0);
    const auto b = add("invitee.canceled", 1, 1);
    const auto c = add("invitee.created", 2, 2);

    const auto page = store_->list_blocking({});

    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{c, b, a}));
    EXPECT_FALSE(page->next_cursor);
}

TEST_P(WebhookStoreList, FiltersByEventName) {
    const auto a = add("invitee.created", 1, 0);
    add("invitee.canceled", 1, 1);
    const auto c = add("invitee.created", 2, 2);
    add("routing_form_submission.created", 3, 3);

    const auto page = store_->list_blocking(ListQuery{.event = "invitee.created"});

    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{c, a}));
}

TEST_P(WebhookStoreList, FiltersByReceivedSince) {
    add("invitee.created", 1, 0);
    const auto b = add("invitee.created", 2, 10);
    const auto c = add("invitee.created", 3, 20);

    const auto page = store_->list_blocking(ListQuery{.since = t0 + 10min});

    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(ids(*page), (std::vector<std::int64_t>{c, b}));
}

TEST_P(WebhookStoreList, CursorWalksEveryPageOnceWithTheSameFilter) {
    std::vector<std::int64_t> created;
    for (int n = 0; n < 7; ++n) {
        created.push_back(add("invitee.created", n, n));
        add("invitee.canceled", n, n);
    }

    std::vector<std::int64_t> walked;
    std::vector<std::size_t> page_sizes;
    ListQuery query{.event = "invitee.created", .limit = 3};
    for (;;) {
        const auto page = store_->list_blocking(query);
        ASSERT_TRUE(page) << page.error().message;
        page_sizes.push_back(page->items.size());
        for (const auto id : ids(*page)) walked.push_back(id);
        if (!page->next_cursor) break;
        query.cursor = page->next_cursor;
    }

    EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 3, 1}));
    EXPECT_EQ(walked, std::vector<std::int64_t>(created.rbegin(), created.rend()));
}

TEST_P(WebhookStoreList, ExactlyFullLastPageHasNoCursor) {
    add("invitee.created", 1, 0);
    add("invitee.created", 2, 1);

    const auto page = store_->list_blocking(ListQuery{.limit = 2});

    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->items.size(), 2u);
    EXPECT_FALSE(page->next_cursor);
}

TEST_P(WebhookStoreList, RejectsACursorItDidNotIssue) {
    for (const auto* cursor : {"", "zz", "12345", "76313a2d35"}) {  // the last is hex of "v1:-5"
        const auto page = store_->list_blocking(ListQuery{.cursor = cursor});
        ASSERT_FALSE(page) << cursor;
        EXPECT_EQ(page.error().kind, ErrorKind::invalid_argument);
        EXPECT_EQ(page.error().code, "invalid_cursor");
    }
}

TEST_P(WebhookStoreList, RejectsLimitOutsideOneToFiveHundred) {
    for (const std::size_t limit : {std::size_t{0}, kMaxListLimit + 1}) {
        const auto page = store_->list_blocking(ListQuery{.limit = limit});
        ASSERT_FALSE(page) << limit;
        EXPECT_EQ(page.error().code, "invalid_limit");
        EXPECT_NE(page.error().message.find("500"), std::string::npos);
    }
    EXPECT_TRUE(store_->list_blocking(ListQuery{.limit = kMaxListLimit}));
}

TEST_P(WebhookStoreList, DefaultLimitIsFifty) {
    for (int n = 0; n < 51; ++n) add("invitee.created", n, n);

    const auto page = store_->list_blocking({});

    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->items.size(), kDefaultListLimit);
    EXPECT_TRUE(page->next_cursor);
}

}  // namespace
}  // namespace calrt::store

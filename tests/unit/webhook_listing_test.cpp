// A stored row is always listable: rows that cannot be rendered carry an error marker instead of
// crashing the listing (issue 9, item 1).
#include "server/webhook_listing.hpp"

#include <gtest/gtest.h>

namespace calrt::server {
namespace {

store::StoredDelivery row(std::string raw_body) {
    store::StoredDelivery stored;
    stored.id = 7;
    stored.delivery.event = "invitee.created";
    stored.delivery.payload_uri = "https://api.calendly.com/x";
    stored.delivery.envelope_created_at = "2026-11-29T10:00:00.000000Z";
    stored.delivery.raw_body = std::move(raw_body);
    return stored;
}

TEST(WebhookListing, AWellFormedRowCarriesItsEnvelope) {
    const auto item = listed_delivery(row(R"({"event":"invitee.created","payload":{"a":1}})"));
    EXPECT_EQ(item["id"], 7);
    EXPECT_EQ(item["envelope"]["payload"]["a"], 1);
    EXPECT_FALSE(item.contains("envelope_error"));
}

TEST(WebhookListing, DeepRowsAreListedWithAnErrorMarker) {
    for (const char open : {'{', '['}) {
        for (const std::size_t levels : {100'000u, 200'000u}) {
            std::string body;
            if (open == '{') {
                for (std::size_t i = 0; i < levels; ++i) body += "{\"a\":";
                body += "1";
                body.append(levels, '}');
            } else {
                body.append(levels, '[');
                body.append(levels, ']');
            }
            const auto item = listed_delivery(row(body));
            EXPECT_TRUE(item["envelope"].is_null());
            EXPECT_EQ(item["envelope_error"]["code"], "too_deeply_nested");
            EXPECT_FALSE(item.dump().empty());  // renders without recursing into the body
        }
    }
}

TEST(WebhookListing, ARowThatIsNotJsonIsListedWithAnErrorMarker) {
    const auto item = listed_delivery(row("not json \xFF"));
    EXPECT_TRUE(item["envelope"].is_null());
    EXPECT_EQ(item["envelope_error"]["code"], "invalid_json");
}

}  // namespace
}  // namespace calrt::server

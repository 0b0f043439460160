// A conversation's memory of the slots Calendly showed open, and how long book_meeting trusts it.
#include "calrt/tools/slots_seen_open.hpp"

#include <gtest/gtest.h>

namespace calrt::tools {
namespace {

using namespace std::chrono_literals;

calendly::AvailableTime slot(Timestamp start) {
    calendly::AvailableTime available;
    available.status = "available";
    available.start_time = start;
    return available;
}

TEST(SlotsSeenOpen, AStartShownOpenIsTrustedForAWhileForItsTypeOnly) {
    SlotsSeenOpen seen(120s);
    const Timestamp now{std::chrono::sys_days{std::chrono::year{2030} / 5 / 6}};
    const Timestamp start = now + 48h;
    seen.remember("https://api.calendly.com/event_types/A", {slot(start)}, now);
    EXPECT_TRUE(seen.seen_open("https://api.calendly.com/event_types/A", start, now + 30s));
    EXPECT_TRUE(seen.seen_open("https://api.calendly.com/event_types/A", start, now + 120s));
    EXPECT_FALSE(seen.seen_open("https://api.calendly.com/event_types/A", start, now + 121s));
    EXPECT_FALSE(seen.seen_open("https://api.calendly.com/event_types/A", start + 30min, now));
    EXPECT_FALSE(seen.seen_open("https://api.calendly.com/event_types/B", start, now));
    EXPECT_FALSE(seen.seen_open("https://api.calendly.com/event_types/A", start, now - 1s));  // clock went back
}

TEST(SlotsSeenOpen, ALaterAnswerReplacesTheEarlierOne) {
    SlotsSeenOpen seen;
    const Timestamp now{std::chrono::sys_days{std::chrono::year{2030} / 5 / 6}};
    const Timestamp start = now + 48h;
    seen.remember("type", {slot(start)}, now);
    seen.remember("type", {slot(start + 1h)}, now + 10s);  // the slot is gone
    EXPECT_FALSE(seen.seen_open("type", start, now + 20s));
    EXPECT_TRUE(seen.seen_open("type", start + 1h, now + 20s));
}

}  // namespace
}  // namespace calrt::tools

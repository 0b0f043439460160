#pragma once
// Instants, their RFC 3339 text, and the clock the service reads.
//
// An instant is a UTC time point with millisecond resolution. Calendly sends and accepts RFC 3339
// UTC timestamps with microseconds ("2024-05-01T09:30:00.000000Z"); our callers may send any
// RFC 3339 offset. Milliseconds are enough for every time the service handles (slot starts are
// whole minutes), and keep arithmetic in one integer.

#include "calrt/core/error.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace calrt {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// Parses an RFC 3339 date-time (RFC 3339 section 5.6):
//   "2024-05-01T09:30:00Z", "2024-05-01T09:30:00.123456Z", "2024-05-01T11:30:00+02:00".
// The offset is required: a wall time without one names a different instant in every time zone.
// Fractional digits beyond milliseconds are truncated. 't' and 'z' may be lower case, as RFC 3339
// allows. Impossible dates (Feb 30), fields out of range (hour 24, minute 60, offset +24:00) and
// the leap second 60 (which sys_time cannot represent) are rejected.
// Errors: invalid_argument / "invalid_timestamp", the message says what was wrong.
Result<Timestamp> parse_rfc3339(std::string_view text);

// UTC with a 'Z': "2024-05-01T09:30:00Z", or "2024-05-01T09:30:00.250Z" when there are
// milliseconds. Years must be 0000..9999 (all RFC 3339 can express).
std::string format_rfc3339(Timestamp t);

// The wall time at a fixed UTC offset, with that offset: "2024-05-01T11:30:00+02:00".
// RFC 3339 offsets have no seconds, so an offset with seconds (pre-1900 local mean time) is
// rounded to the minute and the wall time is computed with the rounded offset, keeping the text
// a correct name for the instant.
std::string format_rfc3339(Timestamp t, std::chrono::seconds utc_offset);

// Calendly's own style, always six fractional digits: "2024-05-01T09:30:00.000000Z".
std::string format_calendly_time(Timestamp t);

// The source of "now". Code that decides anything by the time takes a Clock so tests can set it.
class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    Timestamp now() const override;
};

// A clock that moves only when told to. Safe to read and move from any thread.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start) : now_ms_(start.time_since_epoch().count()) {}

    Timestamp now() const override {
        return Timestamp(std::chrono::milliseconds(now_ms_.load(std::memory_order_acquire)));
    }
    void set(Timestamp t) {
        now_ms_.store(t.time_since_epoch().count(), std::memory_order_release);
    }
    void advance(std::chrono::milliseconds by) {
        now_ms_.fetch_add(by.count(), std::memory_order_acq_rel);
    }

private:
    std::atomic<std::int64_t> now_ms_;
};

}  // namespace calrt

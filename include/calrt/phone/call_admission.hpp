#pragma once
// Who may call and when (issue 24), decided before a call is accepted: a call outside the host's
// phone hours (PHONE_HOURS in PHONE_TIME_ZONE) or from a blocked number (PHONE_BLOCKED_NUMBERS)
// is rejected with SIP 603 Decline, and the log says why. The caller's number is whatever the
// caller's network claims (phone_calls.hpp): blocking it stops a nuisance, it proves nothing.

#include <string>
#include <string_view>
#include <vector>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"

namespace calrt::phone {

// Weekly opening hours, e.g. "mon-fri 09:00-17:00, sat 10:00-13:00": comma-separated entries of a
// day or a day range (mon..sun, a range may wrap: "fri-mon") and a time range of HH:MM in 24-hour
// form, the end after the start ("24:00" ends at midnight). Entries may overlap. Empty: always open.
class PhoneHours {
  public:
    // Errors: invalid_argument "invalid_phone_hours" naming the entry that is not understood.
    static Result<PhoneHours> parse(std::string_view text);

    bool always_open() const noexcept { return windows_.empty(); }
    // Whether `at` falls in the hours, read as a wall-clock time in `zone`.
    bool open_at(Timestamp at, const TimeZone& zone) const;

  private:
    struct Window {
        unsigned weekday = 0;  // 0 = Monday
        unsigned from_minute = 0;
        unsigned to_minute = 0;  // exclusive
    };
    std::vector<Window> windows_;
};

// Comma-separated numbers that may not call: "+14155550123" exactly, "+1900*" every number with that
// beginning, "anonymous" every call without a number. Separators in numbers (spaces, dashes,
// dots, parentheses) are ignored. Empty: none blocked.
class BlockedNumbers {
  public:
    // Errors: invalid_argument "invalid_blocked_numbers" naming the entry.
    static Result<BlockedNumbers> parse(std::string_view text);

    // `number`: IncomingCall::caller_number ("" when the call has none).
    bool blocks(std::string_view number) const;
    bool empty() const noexcept { return exact_.empty() && prefixes_.empty() && !anonymous_; }

  private:
    std::vector<std::string> exact_;
    std::vector<std::string> prefixes_;
    bool anonymous_ = false;
};

}  // namespace calrt::phone

#pragma once
// Minutes of relay sessions per client address per UTC day (REALTIME_DAILY_MINUTES_PER_ADDRESS,
// review item N7). The host pays OpenAI for every minute a session is open, and the per-session
// limits (REALTIME_MAX_SESSION_MS, the budgets of relay_budget.hpp) do not bound what one address
// spends over a day of opening session after session. Sessions charge their wall-clock time as it
// passes (RelaySession ticks); an address that has used its minutes may open no new session
// until the next UTC midnight, and its open ones are ended. Per process, like every per-address
// limit. Thread-safe. Internal to server/.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "calrt/core/time.hpp"

namespace calrt::server {

class DailyRelayMinutes {
  public:
    // `per_day` 0: no cap (nothing is recorded). At most `max_addresses` addresses are remembered
    // per day; past that the one that used least is forgotten (an address that spent real time
    // stays counted).
    DailyRelayMinutes(std::chrono::minutes per_day, const Clock& clock,
                      std::size_t max_addresses = 65'536);

    bool enabled() const noexcept { return per_day_.count() > 0; }
    std::chrono::minutes per_day() const noexcept { return per_day_; }

    // Whether `address` may start a session now: nullopt when it has minutes left today,
    // otherwise the time until the next UTC midnight (when its minutes come back).
    std::optional<std::chrono::seconds> refusal(const std::string& address);

    // Charges `address` with the time from `since` to now (of it, only what falls in today: at
    // midnight every address starts afresh) and moves `since` to now. True when the address has
    // now used its minutes for today.
    bool charge(const std::string& address, Timestamp& since);

    // Used today by `address` (for tests).
    std::chrono::milliseconds used(const std::string& address);

  private:
    // Drops every address when the UTC day changed since the last call; today's day number.
    std::int64_t roll_over(Timestamp now);

    const std::chrono::minutes per_day_;
    const Clock& clock_;
    const std::size_t max_addresses_;
    std::mutex mutex_;
    std::int64_t day_ = -1;  // days since the epoch, UTC
    std::map<std::string, std::chrono::milliseconds, std::less<>> used_today_;
};

}  // namespace calrt::server

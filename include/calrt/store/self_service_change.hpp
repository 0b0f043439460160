#pragma once
// The self-service audit log (issue 23): every cancellation or move an invitee made through the
// assistant, with who proved the email (the address and the conversation), what changed and when.
// Kept in the webhook store's database beside the deliveries, for
// SELF_SERVICE_AUDIT_RETENTION_DAYS, and listed to the host by
// GET /api/calendly/self-service/changes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calrt/core/time.hpp"

namespace calrt::store {

struct SelfServiceChangeRecord {
    std::string action{};           // "cancel" or "reschedule"
    std::string outcome{};          // "done"; reschedule: "old_kept"
    std::string email{};            // the address proven in the conversation
    std::string conversation_id{};  // the conversation in which it was proven
    std::string event_uri{};        // the booking changed
    Timestamp old_start{};
    std::optional<std::string> new_event_uri{};  // reschedule: the new booking
    std::optional<Timestamp> new_start{};
    Timestamp recorded_at{};
};

struct StoredSelfServiceChange {
    std::int64_t id = 0;
    SelfServiceChangeRecord change{};
};

struct ChangeQuery {
    // Every member has a default so that designated initializers may name any subset of them.
    std::optional<std::string> email{};  // compared without regard to ASCII case
    // Only changes recorded at or after this time.
    std::optional<std::chrono::system_clock::time_point> since{};
    std::size_t limit = 50;               // 1..kMaxListLimit, as for deliveries
    std::optional<std::string> cursor{};  // a previous page's next_cursor, with the same filters
};

struct ChangePage {
    std::vector<StoredSelfServiceChange> items;  // newest first
    std::optional<std::string> next_cursor;      // set when older matching changes remain
};

// The key an email is filtered by: ASCII letters lowered, the same on SQLite and PostgreSQL (whose
// own lower() differ beyond ASCII).
std::string change_email_key(std::string_view email);

}  // namespace calrt::store

#pragma once
// The start times check_meeting_availability found open in one conversation, per event type, and
// when Calendly said so. book_meeting books a start seen open moments ago without asking Calendly
// again, so a booking costs one Calendly round trip instead of two (docs/operations.md,
// "Performance"); a start not seen, or seen too long ago, is checked first as before. Should the
// slot have gone since, Calendly refuses the booking and book_meeting then looks for the nearest
// open times. Thread-safe: a conversation's tools may run on any thread.

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "calrt/calendly/models.hpp"
#include "calrt/core/time.hpp"

namespace calrt::tools {

class SlotsSeenOpen {
  public:
    explicit SlotsSeenOpen(std::chrono::seconds fresh_for = std::chrono::seconds(120))
        : fresh_for_(fresh_for) {}

    // What one availability answer showed (it replaces the type's earlier answer).
    void remember(std::string_view event_type_uri, const std::vector<calendly::AvailableTime>& slots,
                  Timestamp seen_at);
    // True when the latest answer for the type, at most fresh_for old at `now`, offered `start`.
    bool seen_open(std::string_view event_type_uri, Timestamp start, Timestamp now) const;

  private:
    struct Seen {
        Timestamp at;
        std::set<Timestamp> starts;
    };
    const std::chrono::seconds fresh_for_;
    mutable std::mutex mutex_;
    std::map<std::string, Seen, std::less<>> by_type_;
};

}  // namespace calrt::tools

#pragma once
// The organization's members, looked up by user UUID and by slug (an organization of 500 members is
// asked for one member per request), listed in Calendly's membership order. Not thread-safe:
// CalendarStore holds it under its own lock, with the meetings the members host.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "testing/fake_calendly/records.hpp"

namespace calrt::testing::fake {

class OrganizationRoster {
  public:
    // A user already a member (by UUID) is replaced.
    void add(MemberRecord member);
    // Members and former members: a removed member's meetings still name it.
    const MemberRecord* find(std::string_view user_uuid) const;
    // Current members only.
    const MemberRecord* find_current(std::string_view user_uuid) const;
    const MemberRecord* find_by_slug(std::string_view slug) const;
    // False when `user_uuid` is not a current member.
    bool remove(std::string_view user_uuid, TimePoint now);
    // Current members by membership created_at, then membership UUID (a stable order for paging).
    std::vector<MemberRecord> current() const;
    std::size_t size() const { return members_.size(); }

  private:
    std::vector<MemberRecord> members_;  // in the order added
    std::unordered_map<std::string, std::size_t> by_uuid_;
    std::unordered_map<std::string, std::size_t> by_slug_;  // current members only
};

}  // namespace calrt::testing::fake

#include "testing/fake_calendly/organization_roster.hpp"

#include <algorithm>

namespace calrt::testing::fake {

void OrganizationRoster::add(MemberRecord member) {
    const std::string uuid = member.user.uuid;
    const std::string slug = member.user.slug;
    if (const auto it = by_uuid_.find(uuid); it != by_uuid_.end()) {
        by_slug_.erase(members_[it->second].user.slug);
        members_[it->second] = std::move(member);
        by_slug_[slug] = it->second;
        return;
    }
    by_uuid_.emplace(uuid, members_.size());
    by_slug_[slug] = members_.size();
    members_.push_back(std::move(member));
}

const MemberRecord* OrganizationRoster::find(std::string_view user_uuid) const {
    const auto it = by_uuid_.find(std::string(user_uuid));
    return it == by_uuid_.end() ? nullptr : &members_[it->second];
}

const MemberRecord* OrganizationRoster::find_current(std::string_view user_uuid) const {
    const MemberRecord* member = find(user_uuid);
    return member && !member->removed ? member : nullptr;
}

const MemberRecord* OrganizationRoster::find_by_slug(std::string_view slug) const {
    const auto it = by_slug_.find(std::string(slug));
    return it == by_slug_.end() ? nullptr : &members_[it->second];
}

bool OrganizationRoster::remove(std::string_view user_uuid, TimePoint now) {
    const auto it = by_uuid_.find(std::string(user_uuid));
    if (it == by_uuid_.end() || members_[it->second].removed) return false;
    MemberRecord& member = members_[it->second];
    member.removed = true;
    member.membership_updated_at = now;
    by_slug_.erase(member.user.slug);
    return true;
}

std::vector<MemberRecord> OrganizationRoster::current() const {
    std::vector<MemberRecord> out;
    out.reserve(members_.size());
    for (const auto& member : members_) {
        if (!member.removed) out.push_back(member);
    }
    std::stable_sort(out.begin(), out.end(), [](const MemberRecord& a, const MemberRecord& b) {
        if (a.membership_created_at != b.membership_created_at)
            return a.membership_created_at < b.membership_created_at;
        return a.membership_uuid < b.membership_uuid;
    });
    return out;
}

}  // namespace calrt::testing::fake

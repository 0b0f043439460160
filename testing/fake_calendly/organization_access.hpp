#pragma once
// What the token's user may see of its organization, as Calendly decides it: an owner or admin
// token sees every member's data; a "user" token only its own (developer.calendly.com, "How to get
// scheduling page links for team members across the organization": an Owner or Admin token;
// /work/research/calendly-teams.md §1, §2, §6).

#include <optional>
#include <string_view>

#include "calrt/server/http_message.hpp"
#include "testing/fake_calendly/fake_state.hpp"

namespace calrt::testing::fake {

bool token_is_admin(const FakeState& state);  // role "owner" or "admin"

// 403 Permission Denied "You do not have permission to access this resource." for a "user" token.
CalendlyResult<void> require_admin_token(const FakeState& state);

// The current member `user_uri` names, when the token may see its data: 403 "This user is not in
// your organization" for anyone else, and 403 "You do not have permission to access this
// resource." for another member when the token is a "user" one.
CalendlyResult<MemberRecord> visible_member(const FakeState& state, std::string_view user_uri);

// What a list's `user` / `organization` query parameters ask for: one member's items, or (no
// member) the whole organization's. One of them is required (400 naming both otherwise); a wrong
// organization is 403; the whole organization needs an owner or admin token.
struct ListScope {
    std::optional<MemberRecord> member;
};
CalendlyResult<ListScope> list_scope(const FakeState& state, const server::Request& request);

}  // namespace calrt::testing::fake

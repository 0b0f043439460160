// The fake's own test-only route, outside Calendly's API (no Calendly endpoint starts with "/_fake"):
// what was booked and cancelled through the fake, in the order it happened, for a test that drives
// the service from outside its process (the browser test of the sandbox binary) and must see, say,
// that a reschedule booked the new time before it cancelled the old one. Loopback only, like the
// fake itself; it shows the fake's own data, never anything of a real Calendly account.
#include <algorithm>

#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/calendly_time.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {

void add_inspection_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    router.get("/_fake/changes", page_route(state, [](FakeState& fake, server::Request&) {
                   const auto& uris = fake.resources().uris();
                   nlohmann::json changes = nlohmann::json::array();
                   for (const auto& booking : fake.store.bookings(uris)) {
                       changes.push_back({{"sequence", booking.sequence},
                                          {"change", "booked"},
                                          {"event", booking.event_uri},
                                          {"invitee", booking.invitee_uri},
                                          {"start_time", format_calendly_time(booking.start_time)},
                                          {"email", booking.email}});
                   }
                   for (const auto& cancellation : fake.store.cancellations(uris)) {
                       changes.push_back({{"sequence", cancellation.sequence},
                                          {"change", "canceled"},
                                          {"event", cancellation.event_uri},
                                          {"reason", cancellation.reason}});
                   }
                   std::sort(changes.begin(), changes.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
                       return a.at("sequence").get<std::size_t>() < b.at("sequence").get<std::size_t>();
                   });
                   server::Response response;
                   response.status = 200;
                   response.content_type = "application/json";
                   response.body = nlohmann::json{{"changes", std::move(changes)}}.dump();
                   return response;
               }));
}

}  // namespace calrt::testing::fake

#include "support/webhook_envelope.hpp"

#include <nlohmann/json.hpp>

namespace calrt::test {

std::string webhook_envelope(std::string_view event, std::string_view payload_uri,
                             std::string_view created_at) {
    const nlohmann::json body = {
        {"event", event},
        {"created_at", created_at},
        {"created_by", "https://api.calendly.com/users/AAAAAAAAAAAAAAAA"},
        {"payload",
         {{"uri", payload_uri},
          {"email", "test@example.com"},
          {"name", "Test Invitee"},
          {"status", "active"},
          {"event", "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2"}}},
    };
    return body.dump();
}

std::string invitee_uri(int n) {
    return "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/INV" +
           std::to_string(n);
}

}  // namespace calrt::test

#pragma once
// The JSON body of POST /invitees for one InviteeRequest.

#include "calrt/calendly/calendly_client.hpp"

#include <nlohmann/json.hpp>

namespace calrt::calendly {

nlohmann::json invitee_request_body(const InviteeRequest& request);

}  // namespace calrt::calendly

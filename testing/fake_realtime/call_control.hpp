#pragma once
// OpenAI's call control for SIP calls on the fake (research/openai-sip.md, from the OpenAPI spec
// in openai-node api_reference/openapi.transformed.yml and src/resources/realtime/calls.ts):
//   POST /v1/realtime/calls/{call_id}/accept  body: a Realtime session config, "type": "realtime"
//   POST /v1/realtime/calls/{call_id}/reject  body optional: {"status_code": <SIP>}, default 603
//   POST /v1/realtime/calls/{call_id}/refer   body: {"target_uri": "tel:…" | "sip:…"}
//   POST /v1/realtime/calls/{call_id}/hangup  no body
// each with "Authorization: Bearer <key>" and answered "200 OK" with an empty body (the SDK's
// return type is void). Every request is recorded, whatever the answer, for assertions.
//
// Documented: the paths, the bodies, 200 on success, 603 as reject's default, refer's tel:/sip:
// targets, reject's and refer's `additionalProperties: false`. Not documented, so the fake's own
// choice, each with OpenAI's error body: an unknown call id answers 404 code "call_id_not_found"
// (the body a community report shows for a call that is gone); a call in the wrong state for the
// action (accepting twice, referring a call never accepted) answers 400 code
// "invalid_call_state"; a body that breaks the schema answers 400 with the parameter named.
//
// A call exists once a test offers it (FakeCalls::offer, or incoming_call_delivery below), as
// OpenAI holds a pending SIP session between the INVITE and the accept or reject. The caller can
// end it too (end_by_caller; FakeRealtime::caller_hangs_up): state `ended`, after which call
// control answers as for a call hung up.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calrt/server/router.hpp"

namespace calrt::testing {

// hung_up: by the service (POST /hangup); ended: by the caller (FakeCalls::end_by_caller).
enum class FakeCallState { ringing, accepted, rejected, referred, hung_up, ended };

std::string_view to_string(FakeCallState state);

// One call-control request as the fake received it.
struct FakeCallRequest {
    std::string call_id{};
    std::string action{};           // "accept", "reject", "refer" or "hangup"
    nlohmann::json body = nullptr;  // the parsed body; null when there was none (or not JSON)
    unsigned answered = 0;          // the HTTP status the fake answered
};

// An incoming SIP call: what ends up in the webhook's data.sip_headers.
struct FakeIncomingCall {
    std::string call_id{};  // empty: a fresh "rtc_…" id
    std::string from = "\"Caller\" <sip:+14155550123@sip.example.com>;tag=fake";  // the From header
    std::string to = "<sip:proj_fake@sip.api.openai.com;transport=tls>";
    std::vector<std::pair<std::string, std::string>>
        extra_headers{};  // appended after the usual ones
};

class FakeCalls {
  public:
    // Adds a ringing call and returns its id.
    std::string offer(std::string call_id = {});
    std::optional<FakeCallState> state(const std::string& call_id) const;
    std::vector<FakeCallRequest> requests() const;
    // The requests for one call and action, e.g. requests("rtc_1", "accept").
    std::vector<FakeCallRequest> requests(const std::string& call_id,
                                          const std::string& action) const;
    // The next request of `action` (any call) is answered with `status` and this error object
    // instead, once (an outage, a call that hung up meanwhile), and changes no state.
    void fail_next(std::string action, unsigned status, nlohmann::json error);
    // The session configuration the call was accepted with (the body of its successful accept);
    // nullopt for a call never accepted.
    std::optional<nlohmann::json> accepted_session(const std::string& call_id) const;
    // The caller hangs up: a ringing or accepted call becomes `ended`. False when the call is
    // unknown or already over.
    bool end_by_caller(const std::string& call_id);
    // Called, outside the lock, each time a request or end_by_caller changes a call's state (how
    // FakeRealtime closes the call's sideband when it ends). One listener; set before start.
    using StateListener = std::function<void(const std::string& call_id, FakeCallState state)>;
    void on_state_change(StateListener listener);

    // Used by the routes.
    struct Outcome {
        unsigned status = 200;
        nlohmann::json error = nullptr;  // the "error" object when status is not 200
    };
    Outcome handle(const std::string& call_id, const std::string& action,
                   const nlohmann::json& body);

  private:
    Outcome handle_locked(const std::string& call_id, const std::string& action,
                          const nlohmann::json& body, std::optional<FakeCallState>& changed_to,
                          StateListener& listener);

    mutable std::mutex mutex_;
    std::map<std::string, FakeCallState> calls_;
    std::vector<FakeCallRequest> requests_;
    std::map<std::string, std::pair<unsigned, nlohmann::json>> failures_;
    std::map<std::string, nlohmann::json> accepted_sessions_;
    StateListener listener_;
    std::uint64_t next_id_ = 1;
};

// Adds the four routes to `router`, checking the Bearer `api_key` (empty: none required).
void add_call_control_routes(server::Router& router, std::shared_ptr<FakeCalls> calls,
                             std::string api_key);

}  // namespace calrt::testing

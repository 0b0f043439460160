#pragma once
// Phone calls through OpenAI's SIP interface (issue 24; research/openai-sip.md). OpenAI answers the
// SIP trunk itself and tells the project's webhook about each call (realtime.call.incoming); the
// service then accepts it with a session configuration, or rejects, transfers (SIP REFER) or
// hangs it up through call control. The audio never reaches this service.
//
// PhoneCalls is the seam for call control: the OpenAI Realtime adapter below is the one built.
// OpenAI lists the Realtime SIP guide under "Legacy APIs"; GPT-Live offers the same pending call
// as `live.call.incoming` with `POST /v1/live/sessions/{session_id}/…` (whose reject requires a
// status_code): a second adapter would implement this interface against those paths.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/net/http_client.hpp"

namespace calrt::phone {

// SIP statuses the service rejects with (RFC 3261 §21): 486 Busy Here when over capacity,
// 603 Decline (OpenAI's default) when the call is refused for who or when it is.
inline constexpr unsigned sip_busy_here = 486;
inline constexpr unsigned sip_decline = 603;

// What a verified realtime.call.incoming event says about a call.
struct IncomingCall {
    std::string call_id{};   // data.call_id, "rtc_…"
    std::string event_id{};  // the event's id, "evt_…" (not the webhook-id)
    // The number in the SIP From header's URI (sip:+1415…@host or tel:+1415…), digits with an
    // optional leading '+'; empty when it is not a number (anonymous, a name). Untrusted: the
    // trunk passes on what the caller's network claims. Never proof of identity.
    std::string caller_number{};
};

// Reads a realtime.call.incoming event (already verified). Errors: invalid_argument
// "malformed_call_event" when data.call_id is missing or sip_headers is not a list of
// {name, value}.
Result<IncomingCall> parse_incoming_call(const nlohmann::json& event);

// The number in a SIP From (or To) header value, e.g. "\"Ada\" <sip:+442071838750@host>;tag=1"
// gives "+442071838750"; empty when there is none.
std::string number_in_sip_header(std::string_view value);

// A caller number as logs show it: the first four characters and the last two, the rest as '*'
// ("+442*******50"); short numbers entirely masked.
std::string mask_phone_number(std::string_view number);

class PhoneCalls {
  public:
    virtual ~PhoneCalls() = default;
    // `session` is a Realtime session configuration ({"type": "realtime", "model", "instructions",
    // "audio", "tools", …}), the body of the accept.
    virtual boost::asio::awaitable<Result<void>> accept(std::string call_id,
                                                        nlohmann::json session) = 0;
    virtual boost::asio::awaitable<Result<void>> reject(std::string call_id,
                                                        unsigned sip_status) = 0;
    // `target_uri`: "tel:+1…" or "sip:…", what appears in the SIP Refer-To header.
    virtual boost::asio::awaitable<Result<void>> refer(std::string call_id,
                                                       std::string target_uri) = 0;
    virtual boost::asio::awaitable<Result<void>> hangup(std::string call_id) = 0;
};

struct OpenAiPhoneCallsOptions {
    std::string api_base_url = "https://api.openai.com/v1";  // OPENAI_API_BASE_URL
    Secret api_key{};                                        // OPENAI_API_KEY
    // One call-control request. The caller hears ringing until the accept (a community report
    // shows OpenAI taking 5 s to answer an accept for a call that was gone), so this is short.
    std::chrono::milliseconds timeout{10'000};
};

// POST {api_base_url}/realtime/calls/{call_id}/accept|reject|refer|hangup with the Bearer key
// (openai-node src/resources/realtime/calls.ts). 200 is success; any other answer is an error:
// not_found "call_not_found" for 404, upstream_failed "call_control_failed" otherwise (its message
// carries OpenAI's status and error code, never the key), and the HttpClient's errors as they are.
// `http` must outlive the adapter.
std::unique_ptr<PhoneCalls> make_openai_phone_calls(net::HttpClient& http,
                                                    OpenAiPhoneCallsOptions options);

}  // namespace calrt::phone

#pragma once
// What the assistant is told and given on a phone call, beside the booking tools every
// conversation has: the call's own instructions (no page, the person's time zone unknown, the
// caller's number untrusted) and the two call-control tools, transfer_to_human and end_call,
// whose effects the call carries out once the assistant has said so (phone_call.hpp).

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "calrt/tools/tool_registry.hpp"

namespace calrt::phone {

// The country a number's calling code points to ("+44 20…" gives "the United Kingdom"), for the
// assistant to suggest a time zone it then confirms; empty when the code is not one it knows or
// the number has no '+'. A hint only: numbers travel, and this one is what the caller's network claims.
std::string calling_code_country(std::string_view number);

// Appended to assistant_instructions() (called with no person time zone, so it asks): how to talk
// on the phone, the time zone hint, the caller's number and what it may be used for, and when to
// use transfer_to_human and end_call. `can_transfer`: PHONE_HANDOFF_URI is set; otherwise the
// assistant tells the person how to reach the host (`host_contact`, a booking page, may be empty).
std::string phone_instructions(std::string_view caller_number, bool can_transfer,
                               std::string_view host_contact);

// The greeting the assistant speaks when the call is answered (response.create instructions).
std::string phone_greeting(std::string_view host_name);

// What the call does when a call-control tool runs: each returns the result for the model.
struct CallControlActions {
    std::function<nlohmann::json(std::string_view reason)> transfer;
    std::function<nlohmann::json()> end_call;
};

// Registers transfer_to_human {reason?} and end_call {} (both tools with an effect: they run only
// from a response the person did not cut off). `actions` is shared with the handlers.
void register_call_control_tools(tools::ToolRegistry& registry, std::shared_ptr<CallControlActions> actions);

}  // namespace calrt::phone

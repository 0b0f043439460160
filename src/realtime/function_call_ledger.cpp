#include "calrt/realtime/function_call_ledger.hpp"

namespace calrt::realtime {

bool FunctionCallLedger::announce(const FunctionCall& call) {
    if (!seen_.insert(call.call_id).second) return false;
    running_.emplace(call.call_id, call.response_id);
    ++responses_[call.response_id].running;
    return true;
}

bool FunctionCallLedger::call_finished(std::string_view call_id) {
    const auto call = running_.find(call_id);
    if (call == running_.end()) return false;
    const auto response = responses_.find(call->second);
    running_.erase(call);
    if (response == responses_.end()) return false;
    --response->second.running;
    return ready(response);
}

bool FunctionCallLedger::response_done(std::string_view response_id, std::string_view status) {
    const auto response = responses_.find(response_id);
    if (response == responses_.end())
        return false;  // a response without calls: nothing to continue
    response->second.done = true;
    response->second.cancelled = status == "cancelled";
    return ready(response);
}

bool FunctionCallLedger::ready(
    std::map<std::string, ResponseCalls, std::less<>>::iterator response) {
    if (!response->second.done || response->second.running > 0) return false;
    const bool continue_conversation = !response->second.cancelled;
    responses_.erase(response);
    return continue_conversation;
}

}  // namespace calrt::realtime

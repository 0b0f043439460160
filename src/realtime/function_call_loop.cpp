#include "calrt/realtime/function_call_loop.hpp"

#include <algorithm>

namespace calrt::realtime {

namespace {

constexpr std::string_view kActiveResponseRefusal = "conversation_already_has_active_response";

}  // namespace

FunctionCallLoop::FunctionCallLoop(std::function<bool(std::string_view)> has_effect)
    : has_effect_(std::move(has_effect)) {}

FunctionCallLoop::Steps FunctionCallLoop::on_server_event(const ServerEvent& event) {
    Steps steps;
    if (event.type == event_type::response_created) {
        response_created();
    } else if (auto call = completed_function_call(event)) {
        announce(std::move(*call), false, false, steps);
    } else if (auto done = response_done(event)) {
        response_active_ = false;
        const bool went_through = done->status != "cancelled" && done->status != "failed";
        for (auto& listed : function_calls_in_response(event)) {
            announce(std::move(listed), true, went_through, steps);
        }
        // Calls announced only by response.function_call_arguments.done: their response is over.
        std::vector<FunctionCall> unsettled;
        for (const auto& [waiting_id, waiting_call] : waiting_) {
            if (waiting_call.response_id == done->response_id || waiting_call.response_id.empty()) {
                unsettled.push_back(waiting_call);
            }
        }
        for (auto& unsettled_call : unsettled) announce(std::move(unsettled_call), true, went_through, steps);
        if (const auto response = responses_.find(done->response_id); response != responses_.end()) {
            response->second.done = true;
            response->second.went_through = went_through;
            settle(done->response_id);
        }
        if (paid_by_request_only_) {
            // The continuation's own response ran (no refusal came for it): it saw the outputs.
            paid_by_request_only_ = false;
            owed_outputs_.clear();
            continuation_request_.clear();
        }
    } else if (auto added = function_call_output_added(event)) {
        outputs_added_.insert(std::move(*added));
    } else if (auto error = upstream_error(event)) {
        request_refused(error->event_id, error->code);
    } else {
        return steps;
    }
    return finish(std::move(steps));
}

FunctionCallLoop::Steps FunctionCallLoop::output_sent(std::string_view call_id) {
    Steps steps;
    const auto call = running_.find(call_id);
    if (call == running_.end()) return steps;
    const std::string response_id = call->second;
    running_.erase(call);
    if (const auto response = responses_.find(response_id); response != responses_.end()) {
        --response->second.running;
        settle(response_id);
    }
    return finish(std::move(steps));
}

void FunctionCallLoop::response_requested(std::string event_id, bool continuation) {
    if (continuation) continuation_request_ = event_id;
    requested_.push_back(std::move(event_id));
}

bool FunctionCallLoop::idle() const {
    return !response_active_ && requested_.empty() && running_.empty() && waiting_.empty() && !owed_;
}

void FunctionCallLoop::announce(FunctionCall call, bool response_finished, bool response_went_through,
                                Steps& steps) {
    if (decided_.contains(call.call_id)) return;
    auto [entry, added] = waiting_.try_emplace(call.call_id, call);
    FunctionCall& known = entry->second;
    if (!added) {
        // Later announcements know more: the item's status, the whole arguments.
        if (call.item_status != ItemStatus::unknown) known.item_status = call.item_status;
        if (!call.arguments.empty()) known.arguments = call.arguments;
        if (known.response_id.empty()) known.response_id = call.response_id;
    }
    const bool effect = has_effect_(known.name);
    // An incomplete item was cut off (the person spoke, the tokens ran out): its arguments are not
    // what the model meant, so it never runs. In progress at response.done means the same.
    const bool cut_off = known.item_status == ItemStatus::incomplete ||
                         (response_finished && known.item_status == ItemStatus::in_progress);
    if (cut_off) {
        decided_.insert(known.call_id);
        waiting_.erase(entry);
        return;
    }
    if (!response_finished) {
        if (known.item_status == ItemStatus::completed && !effect) {
            FunctionCall ready = std::move(known);
            waiting_.erase(entry);
            start(std::move(ready), steps);
        }
        return;  // the rest wait for response.done
    }
    FunctionCall decided = std::move(known);
    waiting_.erase(entry);
    if (!effect || response_went_through) {
        start(std::move(decided), steps);
    } else {
        decided_.insert(decided.call_id);
        steps.not_run.push_back(std::move(decided));
    }
}

void FunctionCallLoop::start(FunctionCall call, Steps& steps) {
    decided_.insert(call.call_id);
    running_.emplace(call.call_id, call.response_id);
    ResponseCalls& response = responses_[call.response_id];
    ++response.running;
    response.ran.push_back(call.call_id);
    steps.run.push_back(std::move(call));
}

void FunctionCallLoop::settle(const std::string& response_id) {
    const auto response = responses_.find(response_id);
    if (response == responses_.end() || !response->second.done || response->second.running > 0) return;
    if (response->second.went_through && !response->second.ran.empty()) {
        owed_outputs_.insert(owed_outputs_.end(), response->second.ran.begin(), response->second.ran.end());
        owed_ = true;
    }
    responses_.erase(response);
}

void FunctionCallLoop::response_created() {
    response_active_ = true;
    // response.created does not name the request it answers; requests are answered in order.
    bool answers_continuation = false;
    if (!requested_.empty()) {
        answers_continuation = !continuation_request_.empty() && requested_.front() == continuation_request_;
        requested_.pop_front();
    }
    if (!owed_) return;
    const bool sees_outputs = std::all_of(owed_outputs_.begin(), owed_outputs_.end(),
                                          [&](const std::string& id) { return outputs_added_.contains(id); });
    if (sees_outputs) {
        owed_ = false;
        owed_outputs_.clear();
        continuation_request_.clear();
        paid_by_request_only_ = false;
    } else if (answers_continuation) {
        // Our response.create was written after the outputs, so its response sees them; unless
        // this response.created was the server's own and ours is about to be refused.
        owed_ = false;
        paid_by_request_only_ = true;
    }
}

void FunctionCallLoop::request_refused(std::string_view event_id, std::string_view code) {
    std::string refused(event_id);
    // The error's event_id names the refused request; a server that leaves it out refused the
    // oldest request still waiting (requests are handled in order).
    if (refused.empty() && code == kActiveResponseRefusal) {
        if (!requested_.empty()) {
            refused = requested_.front();
        } else if (paid_by_request_only_) {
            refused = continuation_request_;
        }
    }
    if (refused.empty()) return;
    std::erase(requested_, refused);
    if (refused == continuation_request_) {
        continuation_request_.clear();
        if (paid_by_request_only_) {
            paid_by_request_only_ = false;
            owed_ = true;  // the response that seemed to answer it did not see the outputs
        }
    }
}

bool FunctionCallLoop::may_request() const {
    return owed_ && !response_active_ && requested_.empty() && running_.empty() && waiting_.empty();
}

FunctionCallLoop::Steps FunctionCallLoop::finish(Steps steps) {
    steps.request_response = may_request();
    return steps;
}

}  // namespace calrt::realtime

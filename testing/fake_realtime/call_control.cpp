#include "testing/fake_realtime/call_control.hpp"

#include <cstdio>

#include "calrt/server/responses.hpp"
#include "testing/fake_realtime/openai_rest.hpp"

namespace calrt::testing {
namespace {

using nlohmann::json;

json error_object(std::string message, std::string code, json param = nullptr) {
    return {{"message", std::move(message)},
            {"type", "invalid_request_error"},
            {"param", std::move(param)},
            {"code", std::move(code)}};
}

json unknown_call() {
    return error_object("No session found for the provided call_id", "call_id_not_found");
}

json wrong_state(const std::string& action, FakeCallState state) {
    return error_object(
        "Cannot " + action + " a call that is " + std::string(to_string(state)) + ".",
        "invalid_call_state");
}

json bad_parameter(std::string message, std::string param) {
    return error_object(std::move(message), "invalid_request_error", std::move(param));
}

// `body` may carry only `allowed` keys (the spec's additionalProperties: false).
std::optional<json> unknown_parameter(const json& body,
                                      std::initializer_list<std::string_view> allowed) {
    if (!body.is_object()) return std::nullopt;
    for (const auto& [key, value] : body.items()) {
        bool known = false;
        for (std::string_view name : allowed) known = known || key == name;
        if (!known)
            return error_object("Unknown parameter: '" + key + "'.", "unknown_parameter", key);
    }
    return std::nullopt;
}

// The accept body is a session configuration; the fake checks what identifies it as one.
std::optional<json> check_accept_body(const json& body) {
    if (!body.is_object()) return bad_parameter("The request body must be a JSON object.", "");
    if (!body.contains("type")) {
        return error_object("Missing required parameter: 'type'.", "missing_required_parameter",
                            "type");
    }
    if (body["type"] != "realtime") {
        return bad_parameter("Invalid value for 'type': expected 'realtime'.", "type");
    }
    return std::nullopt;
}

std::optional<json> check_reject_body(const json& body) {
    if (body.is_null()) return std::nullopt;  // optional: 603 Decline
    if (!body.is_object()) return bad_parameter("The request body must be a JSON object.", "");
    if (auto unknown = unknown_parameter(body, {"status_code"})) return unknown;
    if (body.contains("status_code")) {
        const json& code = body["status_code"];
        if (!code.is_number_integer() || code.get<int>() < 300 || code.get<int>() > 699) {
            return bad_parameter("Invalid 'status_code': expected a SIP status from 300 to 699.",
                                 "status_code");
        }
    }
    return std::nullopt;
}

std::optional<json> check_refer_body(const json& body) {
    if (!body.is_object()) return bad_parameter("The request body must be a JSON object.", "");
    if (auto unknown = unknown_parameter(body, {"target_uri"})) return unknown;
    if (!body.contains("target_uri")) {
        return error_object("Missing required parameter: 'target_uri'.",
                            "missing_required_parameter", "target_uri");
    }
    const json& target = body["target_uri"];
    if (!target.is_string() || !(target.get_ref<const std::string&>().starts_with("tel:") ||
                                 target.get_ref<const std::string&>().starts_with("sip:"))) {
        return bad_parameter("Invalid 'target_uri': expected a tel: or sip: URI.", "target_uri");
    }
    return std::nullopt;
}

}  // namespace

std::string_view to_string(FakeCallState state) {
    switch (state) {
        case FakeCallState::ringing:
            return "ringing";
        case FakeCallState::accepted:
            return "accepted";
        case FakeCallState::rejected:
            return "rejected";
        case FakeCallState::referred:
            return "referred";
        case FakeCallState::hung_up:
            return "hung up";
        case FakeCallState::ended:
            return "ended";
    }
    return "unknown";
}

std::string FakeCalls::offer(std::string call_id) {
    std::lock_guard lock(mutex_);
    if (call_id.empty()) {
        // The shape of the spec's example id: "rtc_" and 32 hex digits.
        char digits[33];
        std::snprintf(digits, sizeof digits, "%032llx",
                      static_cast<unsigned long long>(next_id_++));
        call_id = "rtc_" + std::string(digits);
    }
    calls_[call_id] = FakeCallState::ringing;
    return call_id;
}

std::optional<FakeCallState> FakeCalls::state(const std::string& call_id) const {
    std::lock_guard lock(mutex_);
    const auto found = calls_.find(call_id);
    if (found == calls_.end()) return std::nullopt;
    return found->second;
}

std::vector<FakeCallRequest> FakeCalls::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<FakeCallRequest> FakeCalls::requests(const std::string& call_id,
                                                 const std::string& action) const {
    std::lock_guard lock(mutex_);
    std::vector<FakeCallRequest> out;
    for (const auto& request : requests_) {
        if (request.call_id == call_id && request.action == action) out.push_back(request);
    }
    return out;
}

void FakeCalls::fail_next(std::string action, unsigned status, json error) {
    std::lock_guard lock(mutex_);
    failures_[std::move(action)] = {status, std::move(error)};
}

std::optional<json> FakeCalls::accepted_session(const std::string& call_id) const {
    std::lock_guard lock(mutex_);
    const auto found = accepted_sessions_.find(call_id);
    if (found == accepted_sessions_.end()) return std::nullopt;
    return found->second;
}

bool FakeCalls::end_by_caller(const std::string& call_id) {
    StateListener listener;
    {
        std::lock_guard lock(mutex_);
        const auto call = calls_.find(call_id);
        if (call == calls_.end() ||
            (call->second != FakeCallState::ringing && call->second != FakeCallState::accepted))
            return false;
        call->second = FakeCallState::ended;
        listener = listener_;
    }
    if (listener) listener(call_id, FakeCallState::ended);
    return true;
}

void FakeCalls::on_state_change(StateListener listener) {
    std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
}

FakeCalls::Outcome FakeCalls::handle(const std::string& call_id, const std::string& action,
                                     const json& body) {
    std::optional<FakeCallState> changed_to;
    StateListener listener;
    Outcome outcome = handle_locked(call_id, action, body, changed_to, listener);
    if (changed_to && listener) listener(call_id, *changed_to);
    return outcome;
}

FakeCalls::Outcome FakeCalls::handle_locked(const std::string& call_id, const std::string& action,
                                            const json& body,
                                            std::optional<FakeCallState>& changed_to,
                                            StateListener& listener) {
    std::lock_guard lock(mutex_);
    listener = listener_;
    const auto answer = [&](Outcome outcome) {
        requests_.push_back(
            {call_id, action, body.is_discarded() ? json(nullptr) : body, outcome.status});
        return outcome;
    };
    if (auto failure = failures_.find(action); failure != failures_.end()) {
        Outcome outcome{failure->second.first, failure->second.second};
        failures_.erase(failure);
        return answer(std::move(outcome));
    }
    if (body.is_discarded()) {
        return answer({400, error_object("We could not parse the JSON body of your request.",
                                         "invalid_json")});
    }
    const auto call = calls_.find(call_id);
    if (call == calls_.end()) return answer({404, unknown_call()});
    FakeCallState& state = call->second;

    std::optional<json> problem;
    std::optional<FakeCallState> from;  // the state the action needs
    FakeCallState to = state;
    if (action == "accept") {
        problem = check_accept_body(body);
        from = FakeCallState::ringing;
        to = FakeCallState::accepted;
    } else if (action == "reject") {
        problem = check_reject_body(body);
        from = FakeCallState::ringing;
        to = FakeCallState::rejected;
    } else if (action == "refer") {
        problem = check_refer_body(body);
        from = FakeCallState::accepted;
        to = FakeCallState::referred;
    } else {  // hangup: any call still up, ringing included
        if (state == FakeCallState::rejected || state == FakeCallState::hung_up ||
            state == FakeCallState::ended) {
            return answer({400, wrong_state(action, state)});
        }
        state = FakeCallState::hung_up;
        changed_to = state;
        return answer({});
    }
    if (problem) return answer({400, std::move(*problem)});
    if (from && state != *from) return answer({400, wrong_state(action, state)});
    state = to;
    changed_to = state;
    if (action == "accept") accepted_sessions_[call_id] = body;
    return answer({});
}

void add_call_control_routes(server::Router& router, std::shared_ptr<FakeCalls> calls,
                             std::string api_key) {
    for (const char* action : {"accept", "reject", "refer", "hangup"}) {
        router.post(std::string("/v1/realtime/calls/{call_id}/") + action,
                    server::sync_handler([calls, api_key,
                                          action = std::string(action)](server::Request& request) {
                        if (auto refused = refuse_without_api_key(request, api_key))
                            return *refused;
                        const json body =
                            request.body.empty()
                                ? json(nullptr)
                                : json::parse(request.body, nullptr, /*allow_exceptions=*/false);
                        const std::string call_id(request.path_param("call_id").value_or(""));
                        const auto outcome = calls->handle(call_id, action, body);
                        if (outcome.status == 200) {
                            server::Response ok;
                            ok.status = 200;
                            return ok;
                        }
                        return server::json_response(outcome.status, {{"error", outcome.error}});
                    }));
    }
}

}  // namespace calrt::testing

// The sandbox assistant on a phone call: the call-control tools a call's session offers
// (src/phone/phone_assistant.cpp: transfer_to_human, end_call), asked for in plain words, so that
// `calendly-realtime phone simulate` can show a transfer and a hang-up. Only when the session
// offers the tool: the page's sessions have neither.
#include <algorithm>
#include <initializer_list>

#include "testing/fake_realtime/sandbox_assistant.hpp"
#include "testing/fake_realtime/sandbox_phrases.hpp"

namespace calrt::testing {

using nlohmann::json;
using namespace sandbox;

namespace {

bool offers(const json& session, std::string_view tool) {
    const auto tools = session.find("tools");
    if (tools == session.end() || !tools->is_array()) return false;
    return std::any_of(tools->begin(), tools->end(), [tool](const json& offered) {
        return offered.is_object() && offered.value("name", "") == tool;
    });
}

bool says_any(std::string_view lower, std::initializer_list<std::string_view> phrases) {
    return std::any_of(phrases.begin(), phrases.end(),
                       [lower](std::string_view phrase) { return contains(lower, phrase); });
}

}  // namespace

std::optional<FakeTurn> sandbox_call_control_turn(std::string_view user_text, const json& session) {
    const std::string lower = lowercase(user_text);
    if (offers(session, "transfer_to_human") &&
        says_any(lower, {"human", "a person", "someone", "operator", "transfer me"})) {
        FakeTurn turn;
        turn.calls.push_back(
            FakeToolCall{"transfer_to_human", json{{"reason", "the caller asked for a person"}}});
        turn.answer = [](const std::vector<json>& outputs) {
            const bool transferred = !outputs.empty() && outputs.front().is_object() &&
                                     outputs.front().value("transferred", false);
            return std::string(kIntro) +
                   (transferred ? "I am transferring you to a person now."
                                : "nobody can take a transferred call right now. I can go on "
                                  "helping you book.");
        };
        return turn;
    }
    if (offers(session, "end_call") &&
        says_any(lower, {"goodbye", "bye", "hang up", "that's all", "that is all"})) {
        FakeTurn turn;
        turn.calls.push_back(FakeToolCall{"end_call", json::object()});
        turn.answer = [](const std::vector<json>&) {
            return std::string(kIntro) + "goodbye, and thank you for calling!";
        };
        return turn;
    }
    return std::nullopt;
}

}  // namespace calrt::testing

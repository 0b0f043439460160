#include "testing/fake_calendly/booking_checks.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

// Calendly's rules for POST /invitees ("Create Event Invitee", developer.calendly.com; the full
// page was not in the research corpus: /work/research/calendly.md §1 and §6 quote the OpenAPI):
// - "Location must match location specified on the EventType": `location.kind` is one of the
//   type's `locations[].kind`; `location.location` is required for physical, outbound_call (the
//   invitee's phone), ask_invitee (the invitee's answer) and custom; a type without locations
//   takes no location.
// - "Required questions must be included in the body and match on the question string exactly";
//   each `questions_and_answers[]` entry needs `question`, `answer` and `position` ("omitting
//   `question` is rejected with `questions_and_answers[0].question: is missing`").
// The detail messages below other than those quoted are the fake's own wording.

namespace calrt::testing::fake {
namespace {

using nlohmann::json;

constexpr const char* kLocationMismatch =
    "Location must match location specified on the EventType.";

bool needs_location_text(const std::string& kind) {
    return kind == "physical" || kind == "outbound_call" || kind == "ask_invitee" ||
           kind == "custom";
}

// "+" and 8 to 15 digits, the first not 0 (E.164); Calendly's own examples are "+14155551234".
bool is_phone_number(const std::string& text) {
    if (text.size() < 9 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
    return std::all_of(text.begin() + 1, text.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string string_or_empty(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void check_location(const EventTypeRecord& type, const json& body, CheckedBookingDetails& checked,
                    std::vector<CalendlyErrorDetail>& problems) {
    const bool offers_locations = type.locations.is_array() && !type.locations.empty();
    const auto given = body.find("location");
    if (given == body.end() || given->is_null()) {
        // The fake's own leniency (the reference does not say): one location whose details
        // Calendly has (a conferencing kind, inbound_call) is taken as chosen. Several locations,
        // or one whose text the request must carry, need `location`.
        const bool implied = offers_locations && type.locations.size() == 1 &&
                             !needs_location_text(type.locations.front().value("kind", ""));
        if (offers_locations && !implied) problems.push_back({"location", "is required"});
        return;
    }
    if (!given->is_object()) {
        problems.push_back({"location", "must be an object"});
        return;
    }
    if (!offers_locations) {
        problems.push_back({"location", kLocationMismatch});
        return;
    }
    const std::string kind = string_or_empty(*given, "kind");
    if (kind.empty()) {
        problems.push_back({"location.kind", "is required"});
        return;
    }
    const json* configured = nullptr;
    for (const auto& location : type.locations) {
        if (location.value("kind", "") == kind) configured = &location;
    }
    if (!configured) {
        problems.push_back({"location.kind", kLocationMismatch});
        return;
    }
    const std::string text = string_or_empty(*given, "location");
    if (needs_location_text(kind) && text.empty()) {
        problems.push_back({"location.location", "is required"});
        return;
    }
    if (kind == "outbound_call" && !is_phone_number(text)) {
        problems.push_back(
            {"location.location", "must be a valid phone number (e.g. +14155551234)"});
        return;
    }
    checked.location_kind = kind;
    checked.location = text;
}

std::vector<std::string> choices_of(const json& question) {
    std::vector<std::string> choices;
    const auto it = question.find("answer_choices");
    if (it == question.end() || !it->is_array()) return choices;
    for (const auto& choice : *it) {
        if (choice.is_string()) choices.push_back(choice.get<std::string>());
    }
    return choices;
}

// single_select: one choice; multi_select: one choice a line; either may be free text when the
// question includes "other".
bool answer_fits(const json& question, const std::string& answer) {
    const std::string type = question.value("type", "");
    if (type != "single_select" && type != "multi_select") return true;
    if (question.value("include_other", false)) return true;
    const auto choices = choices_of(question);
    const auto is_choice = [&](const std::string& text) {
        return std::find(choices.begin(), choices.end(), text) != choices.end();
    };
    if (type == "single_select") return is_choice(answer);
    std::size_t start = 0;
    while (start <= answer.size()) {
        const auto end = answer.find('\n', start);
        if (!is_choice(
                answer.substr(start, end == std::string::npos ? std::string::npos : end - start)))
            return false;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return true;
}

void check_answers(const EventTypeRecord& type, const json& body, CheckedBookingDetails& checked,
                   std::vector<CalendlyErrorDetail>& problems) {
    std::vector<json> enabled;
    if (type.custom_questions.is_array()) {
        for (const auto& question : type.custom_questions) {
            if (question.value("enabled", false)) enabled.push_back(question);
        }
    }
    std::set<std::string> answered;
    const auto given = body.find("questions_and_answers");
    if (given != body.end() && !given->is_null()) {
        if (!given->is_array()) {
            problems.push_back({"questions_and_answers", "must be an array"});
            return;
        }
        for (std::size_t i = 0; i < given->size(); ++i) {
            const json& entry = (*given)[i];
            const std::string parameter = "questions_and_answers[" + std::to_string(i) + "]";
            if (!entry.is_object()) {
                problems.push_back({parameter, "must be an object"});
                continue;
            }
            for (const char* key : {"question", "answer", "position"}) {
                if (!entry.contains(key) || entry[key].is_null())
                    problems.push_back({parameter + "." + key, "is missing"});
            }
            if (entry.contains("position") && !entry["position"].is_number_integer())
                problems.push_back({parameter + ".position", "must be an integer"});
            const std::string question_text = string_or_empty(entry, "question");
            const std::string answer = string_or_empty(entry, "answer");
            const auto question = std::find_if(enabled.begin(), enabled.end(), [&](const json& q) {
                return q.value("name", "") == question_text;
            });
            if (question_text.empty()) continue;
            if (question == enabled.end()) {
                problems.push_back(
                    {parameter + ".question", "does not match a question of the event type"});
                continue;
            }
            if (question->value("type", "") == "phone_number" && !answer.empty() &&
                !is_phone_number(answer)) {
                problems.push_back(
                    {parameter + ".answer", "must be a valid phone number (e.g. +14155551234)"});
                continue;
            }
            if (!answer.empty() && !answer_fits(*question, answer)) {
                problems.push_back(
                    {parameter + ".answer", "is not one of the question's answer choices"});
                continue;
            }
            if (!answer.empty()) answered.insert(question_text);
        }
        checked.questions_and_answers = *given;
    }
    for (const auto& question : enabled) {
        const std::string name = question.value("name", "");
        if (question.value("required", false) && !answered.contains(name)) {
            problems.push_back(
                {"questions_and_answers", "the required question '" + name + "' is not answered"});
        }
    }
}

}  // namespace

CalendlyResult<CheckedBookingDetails> check_booking_details(const EventTypeRecord& type,
                                                            const json& body) {
    CheckedBookingDetails checked;
    std::vector<CalendlyErrorDetail> problems;
    check_location(type, body, checked, problems);
    check_answers(type, body, checked, problems);
    if (!problems.empty()) return invalid_argument(std::move(problems));
    return checked;
}

}  // namespace calrt::testing::fake

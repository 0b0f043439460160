#include "calrt/calendly/booking_requirements.hpp"

#include "booking_text.hpp"
#include "calrt/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

// Wire facts this file relies on (POST /invitees, developer.calendly.com "Create Event Invitee";
// the full page was not in the research corpus, so these come from transcriptions of the official
// OpenAPI that agree with one another, /work/research/calendly.md §1 and §6):
// - "Location must match location specified on the EventType": `location.kind` is one of the
//   type's `locations[].kind`.
// - The sibling `location` string is required for exactly four kinds: `physical` (the address),
//   `outbound_call` (the invitee's phone number), `ask_invitee` (the invitee's answer) and `custom`
//   (the type's text). `inbound_call` and the conferencing kinds take `{"kind"}` only.
// - `location` is omitted for a type without a location specification and for round robin types.
// - `questions_and_answers[]` entries need `question` (the question's text, matched exactly and
//   case sensitively), `answer` and `position`; required questions must be answered.
// - custom_questions[].type is one of string, text, phone_number, single_select, multi_select
//   (Calendly's OpenAPI model EventTypeCustomQuestion).

namespace calrt::calendly {
namespace {

using detail::in_quotes;

// Our own bounds, not Calendly's (which the reference does not state): a spoken answer longer than
// this is a transcription accident, and the bound keeps the request small.
constexpr std::size_t max_short_answer = 500;
constexpr std::size_t max_long_answer = 5000;
constexpr std::size_t max_location_details = 500;

std::string trimmed(std::string_view text) { return std::string(trim(text, kWhitespace)); }

bool same_words(std::string_view a, std::string_view b) {
    return ascii_lowercase(trim(a, kWhitespace)) == ascii_lowercase(trim(b, kWhitespace));
}

// A choice's text as the question offers it, matched without regard to case or outer spaces.
const std::string* find_choice(const QuestionToAsk& question, std::string_view answer) {
    for (const auto& choice : question.choices) {
        if (same_words(choice, answer)) return &choice;
    }
    return nullptr;
}

std::vector<std::string> split_any(std::string_view text, std::string_view separators) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find_first_of(separators, start);
        auto part = trimmed(text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (!part.empty()) parts.push_back(std::move(part));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return parts;
}

std::string what_to_ask(const QuestionToAsk& question) {
    std::string text = in_quotes(question.question);
    if (question.type == "phone_number") text += " (a phone number)";
    if (question.type == "single_select")
        text += " (one of: " + join(question.choices, ", ") +
                (question.include_other ? ", or another answer)" : ")");
    if (question.type == "multi_select")
        text += " (one or more of: " + join(question.choices, ", ") +
                (question.include_other ? ", or other answers)" : ")");
    return text;
}

// Collects what is missing and what is wrong, then turns them into one error.
struct Problems {
    std::vector<ErrorDetail> missing;
    std::vector<ErrorDetail> invalid;
    std::vector<std::string> to_ask;  // what the assistant asks, in the order a person would answer
};

Error problems_error(const EventType& event_type, Problems problems) {
    const std::string type_name = in_quotes(event_type.name.value_or("this meeting type"));
    if (!problems.invalid.empty()) {
        std::string message = "some booking details for " + type_name + " are not valid: ";
        for (std::size_t i = 0; i < problems.invalid.size(); ++i) {
            if (i) message += "; ";
            message += problems.invalid[i].parameter + " " + problems.invalid[i].message;
        }
        Error error =
            Error::make(ErrorKind::invalid_argument, "invalid_booking_details", std::move(message));
        error.details = std::move(problems.invalid);
        return error;
    }
    Error error =
        Error::make(ErrorKind::invalid_argument, "booking_details_required",
                    "to book " + type_name + ", ask the person for " +
                        join(problems.to_ask, "; ") + ", then book again with those details");
    error.details = std::move(problems.missing);
    return error;
}

std::optional<InviteeLocation> resolve_location(const BookingRequirements& requirements,
                                                const EventType& event_type,
                                                const std::optional<GivenLocation>& given,
                                                Problems& problems) {
    if (requirements.locations.empty()) return std::nullopt;  // given or not, Calendly takes none
    const std::string given_kind = given ? trimmed(given->kind) : std::string();

    const LocationOption* chosen = nullptr;
    if (!given_kind.empty()) {
        for (const auto& option : requirements.locations) {
            if (option.kind == given_kind) chosen = &option;
        }
        if (!chosen) {
            std::vector<std::string> kinds;
            for (const auto& option : requirements.locations) kinds.push_back(option.kind);
            problems.invalid.push_back(
                {"location.kind", "is " + in_quotes(given_kind) +
                                      ", which this meeting type does not offer; it offers " +
                                      join(kinds, ", ")});
            return std::nullopt;
        }
    } else if (requirements.locations.size() == 1) {
        chosen = &requirements.locations.front();
    } else {
        std::vector<std::string> choices;
        for (const auto& option : requirements.locations)
            choices.push_back(option.kind + " (" + option.description + ")");
        problems.missing.push_back(
            {"location.kind", "is required: choose one of " + join(choices, ", ")});
        problems.to_ask.push_back("where to meet: " + join(choices, ", "));
        return std::nullopt;
    }

    InviteeLocation location{chosen->kind, std::nullopt};
    switch (chosen->invitee_supplies) {
        case InviteeSupplies::phone_number: {
            const auto& phone = given ? given->phone_number : std::nullopt;
            if (!phone || trimmed(*phone).empty()) {
                problems.missing.push_back(
                    {"location.phone_number", "is required: the number the host calls"});
                problems.to_ask.push_back(
                    "the phone number the host should call, with its country code");
                return std::nullopt;
            }
            auto normalized = normalized_e164(*phone);
            if (!normalized) {
                problems.invalid.push_back({"location.phone_number",
                                            "is not a phone number in international "
                                            "form (E.164, e.g. +14155550123)"});
                return std::nullopt;
            }
            location.location = std::move(*normalized);
            break;
        }
        case InviteeSupplies::details: {
            const std::string details =
                given && given->details ? trimmed(*given->details) : std::string();
            if (details.empty()) {
                problems.missing.push_back(
                    {"location.details", "is required: where the invitee wants to meet"});
                problems.to_ask.push_back("where they would like to meet");
                return std::nullopt;
            }
            if (details.size() > max_location_details) {
                problems.invalid.push_back(
                    {"location.details",
                     "is longer than " + std::to_string(max_location_details) + " characters"});
                return std::nullopt;
            }
            location.location = details;
            break;
        }
        case InviteeSupplies::nothing:
            // physical and custom carry the type's own text; the others send the kind alone.
            if (chosen->kind == "physical" || chosen->kind == "custom") {
                for (const auto& configured : event_type.locations) {
                    if (configured.kind == chosen->kind && configured.location) {
                        location.location = *configured.location;
                        break;
                    }
                }
            }
            break;
    }
    return location;
}

std::optional<std::string> validated_answer(const QuestionToAsk& question,
                                            const std::string& answer, std::string& problem) {
    if (question.type == "phone_number") {
        auto normalized = normalized_e164(answer);
        if (!normalized)
            problem = "is not a phone number in international form (E.164, e.g. +14155550123)";
        return normalized;
    }
    if (question.type == "single_select") {
        if (const auto* choice = find_choice(question, answer)) return *choice;
        if (question.include_other && answer.size() <= max_short_answer) return answer;
        problem = "is " + in_quotes(answer) + ", not one of " + join(question.choices, ", ");
        return std::nullopt;
    }
    if (question.type == "multi_select") {
        // One choice may itself contain a comma, so the whole answer is tried first, then lines,
        // then commas and semicolons.
        std::vector<std::string> parts{answer};
        if (!find_choice(question, answer)) {
            parts = split_any(answer, "\n");
            const bool all_choices =
                std::all_of(parts.begin(), parts.end(),
                            [&](const std::string& part) { return find_choice(question, part); });
            if (!all_choices) parts = split_any(answer, "\n,;");
        }
        std::vector<std::string> chosen;
        for (const auto& part : parts) {
            if (const auto* choice = find_choice(question, part)) {
                chosen.push_back(*choice);
            } else if (question.include_other && part.size() <= max_short_answer) {
                chosen.push_back(part);
            } else {
                problem = "has " + in_quotes(part) + ", not one of " + join(question.choices, ", ");
                return std::nullopt;
            }
        }
        // Calendly shows a multi_select answer as its choices one per line.
        return join(chosen, "\n");
    }
    const std::size_t bound = question.type == "text" ? max_long_answer : max_short_answer;
    if (answer.size() > bound) {
        problem = "is longer than " + std::to_string(bound) + " characters";
        return std::nullopt;
    }
    return answer;
}

std::vector<InviteeAnswer> resolve_answers(const BookingRequirements& requirements,
                                           const std::vector<GivenAnswer>& given,
                                           Problems& problems) {
    std::vector<std::optional<std::string>> answer_of(requirements.questions.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
        const std::string parameter = "answers[" + std::to_string(i) + "]";
        std::size_t index = requirements.questions.size();
        for (std::size_t q = 0; q < requirements.questions.size(); ++q) {
            // Calendly matches the question text exactly; the person's (or model's) wording is
            // matched loosely here and the exact text is what gets sent.
            if (same_words(requirements.questions[q].question, given[i].question)) index = q;
        }
        if (index == requirements.questions.size()) {
            std::vector<std::string> names;
            for (const auto& question : requirements.questions)
                names.push_back(in_quotes(question.question));
            problems.invalid.push_back({parameter + ".question",
                                        "is " + in_quotes(given[i].question) +
                                            ", which this meeting type does not ask" +
                                            (names.empty() ? std::string(" (it asks no questions)")
                                                           : "; it asks " + join(names, ", "))});
            continue;
        }
        if (answer_of[index]) {
            problems.invalid.push_back(
                {parameter + ".question", "answers " + in_quotes(given[i].question) + " twice"});
            continue;
        }
        std::string answer = trimmed(given[i].answer);
        if (answer.empty()) continue;  // an empty answer is no answer
        std::string problem;
        auto valid = validated_answer(requirements.questions[index], answer, problem);
        if (!valid) {
            problems.invalid.push_back({parameter + ".answer", std::move(problem)});
            answer_of[index] = std::string();  // answered, though wrongly: not also "missing"
            continue;
        }
        answer_of[index] = std::move(*valid);
    }

    std::vector<InviteeAnswer> answers;
    for (std::size_t q = 0; q < requirements.questions.size(); ++q) {
        const auto& question = requirements.questions[q];
        if (!answer_of[q]) {
            if (question.required) {
                problems.missing.push_back(
                    {"answers", in_quotes(question.question) + " is a required question"});
                problems.to_ask.push_back(what_to_ask(question));
            }
            continue;
        }
        if (!answer_of[q]->empty())
            answers.push_back({question.question, *answer_of[q], question.position});
    }
    return answers;
}

}  // namespace

std::optional<std::string> normalized_e164(std::string_view text) {
    // ITU-T E.164: at most 15 digits, the country code first (never 0). People and speech
    // recognition write spaces, dashes, dots and parentheses between groups; those are dropped.
    std::string digits;
    bool plus = false;
    for (char c : trimmed(text)) {
        if (c == '+' && !plus && digits.empty()) {
            plus = true;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    if (!plus || digits.size() < 8 || digits.size() > 15 || digits.front() == '0')
        return std::nullopt;
    return "+" + digits;
}

Result<ResolvedBookingDetails> resolve_booking_details(const EventType& event_type,
                                                       const GivenBookingDetails& given) {
    const auto requirements = booking_requirements(event_type);
    if (requirements.link_only_reason) {
        return Error::make(
            ErrorKind::invalid_argument, "booking_requires_link",
            in_quotes(event_type.name.value_or("this meeting type")) +
                " cannot be booked in a conversation: " + *requirements.link_only_reason +
                "; offer the single-use booking link instead");
    }
    Problems problems;
    ResolvedBookingDetails resolved;
    resolved.location = resolve_location(requirements, event_type, given.location, problems);
    resolved.answers = resolve_answers(requirements, given.answers, problems);
    if (!problems.invalid.empty() || !problems.missing.empty())
        return problems_error(event_type, std::move(problems));
    return resolved;
}

}  // namespace calrt::calendly

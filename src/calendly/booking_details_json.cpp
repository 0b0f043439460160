#include "calrt/calendly/booking_details_json.hpp"

namespace calrt::calendly {
namespace {

// Enough for any booking form a person fills in by talking; bounds the work on hostile input.
constexpr std::size_t max_answers = 50;
constexpr std::size_t max_text = 10000;

Error invalid(std::string parameter, std::string message) {
    Error error = Error::make(ErrorKind::invalid_argument, "invalid_booking_details",
                              parameter + " " + message);
    error.details.push_back({std::move(parameter), std::move(message)});
    return error;
}

Result<std::optional<std::string>> optional_text(const nlohmann::json& object, const char* key,
                                                 const std::string& parameter) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::optional<std::string>();
    if (!it->is_string()) return invalid(parameter, "must be a string");
    auto text = it->get<std::string>();
    if (text.size() > max_text) return invalid(parameter, "is too long");
    return std::optional<std::string>(std::move(text));
}

const char* ask_for(InviteeSupplies supplies) {
    switch (supplies) {
        case InviteeSupplies::phone_number:
            return "phone_number";
        case InviteeSupplies::details:
            return "details";
        case InviteeSupplies::nothing:
            break;
    }
    return nullptr;
}

}  // namespace

Result<GivenBookingDetails> given_booking_details_from_json(const nlohmann::json& object) {
    GivenBookingDetails given;
    if (const auto location = object.find("location");
        location != object.end() && !location->is_null()) {
        if (!location->is_object()) return invalid("location", "must be an object");
        auto kind = optional_text(*location, "kind", "location.kind");
        if (!kind) return kind.error();
        auto phone = optional_text(*location, "phone_number", "location.phone_number");
        if (!phone) return phone.error();
        auto details = optional_text(*location, "details", "location.details");
        if (!details) return details.error();
        given.location = GivenLocation{kind->value_or(""), std::move(*phone), std::move(*details)};
    }
    if (const auto answers = object.find("answers");
        answers != object.end() && !answers->is_null()) {
        if (!answers->is_array()) return invalid("answers", "must be an array");
        if (answers->size() > max_answers)
            return invalid("answers", "has more than " + std::to_string(max_answers) + " entries");
        for (std::size_t i = 0; i < answers->size(); ++i) {
            const auto& entry = (*answers)[i];
            const std::string parameter = "answers[" + std::to_string(i) + "]";
            if (!entry.is_object()) return invalid(parameter, "must be an object");
            auto question = optional_text(entry, "question", parameter + ".question");
            if (!question) return question.error();
            if (!*question || (*question)->empty())
                return invalid(parameter + ".question", "is required");
            std::string answer;
            if (const auto list = entry.find("answer"); list != entry.end() && list->is_array()) {
                for (const auto& item : *list) {
                    if (!item.is_string())
                        return invalid(parameter + ".answer", "must be a string or strings");
                    answer += (answer.empty() ? "" : "\n") + item.get<std::string>();
                }
                if (answer.size() > max_text) return invalid(parameter + ".answer", "is too long");
            } else {
                auto text = optional_text(entry, "answer", parameter + ".answer");
                if (!text) return text.error();
                if (!*text) return invalid(parameter + ".answer", "is required");
                answer = std::move(**text);
            }
            given.answers.push_back({std::move(**question), std::move(answer)});
        }
    }
    return given;
}

nlohmann::json booking_requirements_json(const BookingRequirements& requirements) {
    nlohmann::json locations = nlohmann::json::array();
    std::vector<std::string> to_ask;
    for (const auto& location : requirements.locations) {
        const char* what = ask_for(location.invitee_supplies);
        locations.push_back({{"kind", location.kind},
                             {"description", location.description},
                             {"ask_for", what ? nlohmann::json(what) : nlohmann::json()}});
    }
    const bool choose = requirements.locations.size() > 1;
    if (choose) {
        to_ask.push_back("which location they want (location.kind)");
    } else if (requirements.locations.size() == 1) {
        const auto supplies = requirements.locations.front().invitee_supplies;
        if (supplies == InviteeSupplies::phone_number)
            to_ask.push_back(
                "the phone number the host should call, with country code (location.phone_number)");
        if (supplies == InviteeSupplies::details)
            to_ask.push_back("where they want to meet (location.details)");
    }
    nlohmann::json questions = nlohmann::json::array();
    for (const auto& question : requirements.questions) {
        nlohmann::json entry{{"question", question.question},
                             {"type", question.type},
                             {"required", question.required}};
        if (!question.choices.empty()) entry["choices"] = question.choices;
        if (question.type == "single_select" || question.type == "multi_select")
            entry["other_allowed"] = question.include_other;
        questions.push_back(std::move(entry));
        if (question.required) to_ask.push_back("'" + question.question + "'");
    }
    nlohmann::json out{{"direct_booking", !requirements.link_only_reason.has_value()},
                       {"locations", std::move(locations)},
                       {"choose_location", choose},
                       {"questions", std::move(questions)}};
    if (requirements.link_only_reason) {
        out["link_only_reason"] = *requirements.link_only_reason;
        out["ask_before_booking"] =
            "nothing: this type is booked with a single-use link (schedule_call)";
    } else {
        std::string text;
        for (const auto& item : to_ask) text += (text.empty() ? "" : "; ") + item;
        out["ask_before_booking"] = text.empty() ? "nothing beyond name, email and time" : text;
    }
    return out;
}

}  // namespace calrt::calendly

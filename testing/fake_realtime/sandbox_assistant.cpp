#include "testing/fake_realtime/sandbox_assistant.hpp"
#include "testing/fake_realtime/sandbox_phrases.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "calrt/tools/argument_validation.hpp"

namespace calrt::testing {

using nlohmann::json;
using namespace sandbox;

namespace sandbox {

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::string trim_punctuation(std::string word) {
    const auto is_punct = [](char c) {
        return std::string_view(".,;:!?()<>\"'").find(c) != std::string_view::npos;
    };
    while (!word.empty() && is_punct(word.back())) word.pop_back();
    while (!word.empty() && is_punct(word.front())) word.erase(word.begin());
    return word;
}

std::vector<std::string> words_of(std::string_view text) {
    std::istringstream in{std::string(text)};
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

std::optional<std::string> find_word(std::string_view text, bool (*matches)(std::string_view)) {
    for (const auto& word : words_of(text)) {
        auto clean = trim_punctuation(word);
        if (matches(clean)) return clean;
    }
    return std::nullopt;
}

bool looks_like_timezone(std::string_view word) {
    // IANA names: Area/Location, e.g. Europe/Berlin, America/New_York.
    return word.find('/') != std::string_view::npos && word.find("://") == std::string_view::npos &&
           !word.empty() && std::isupper(static_cast<unsigned char>(word.front()));
}

// "is the 30 minute meeting available ..." or "availability for the intro call on ..." -> the
// meeting type's words; nullopt when none is named ("is anything available").
std::optional<std::string> event_type_for_availability(std::string_view text) {
    const std::string lower = lowercase(text);
    const auto skip_leading = [](const std::vector<std::string>& words, std::size_t from) {
        static const std::set<std::string, std::less<>> kFillers = {
            "the", "a", "an", "your", "there", "anything", "something", "any", "time"};
        while (from < words.size() && kFillers.contains(lowercase(trim_punctuation(words[from]))))
            ++from;
        return from;
    };
    const auto joined = [](const std::vector<std::string>& words, std::size_t from, std::size_t to) {
        std::string out;
        for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + trim_punctuation(words[i]);
        return out;
    };
    // Before "available": the words after the last " is ".
    if (const auto available = lower.find(" available"); available != std::string::npos) {
        const auto is = lower.rfind("is ", available);
        if (is != std::string::npos && (is == 0 || lower[is - 1] == ' ')) {
            const auto words = words_of(text.substr(is + 3, available - is - 3));
            const auto from = skip_leading(words, 0);
            if (from < words.size()) return joined(words, from, words.size());
        }
    }
    // After "availability for" / "available for" / "free for": up to a date, zone or stop word.
    for (std::string_view marker : {"availability for ", "available for ", "free for "}) {
        const auto at = lower.find(marker);
        if (at == std::string::npos) continue;
        const auto words = words_of(text.substr(at + marker.size()));
        const auto from = skip_leading(words, 0);
        std::size_t to = from;
        static const std::set<std::string, std::less<>> kStops = {"on", "in", "from", "this", "next",
                                                                 "between", "during", "today", "tomorrow"};
        while (to < words.size()) {
            const std::string clean = trim_punctuation(words[to]);
            if (kStops.contains(lowercase(clean)) || tools::is_calendar_date(clean) ||
                looks_like_timezone(clean))
                break;
            const bool last = words[to].back() == ',' || words[to].back() == '?' || words[to].back() == '.';
            ++to;
            if (last) break;
        }
        if (to > from) return joined(words, from, to);
    }
    return std::nullopt;
}

}  // namespace sandbox

namespace {

// The words after "my name is", "I'm", "I am" or "name:", up to a word that is clearly not a name.
std::optional<std::string> find_name(std::string_view text) {
    const std::string lower = lowercase(text);
    for (std::string_view marker : {"my name is ", "i'm ", "i am ", "name: ", "name is "}) {
        const auto at = lower.find(marker);
        if (at == std::string::npos) continue;
        std::string name;
        for (const auto& word : words_of(text.substr(at + marker.size()))) {
            const std::string clean = trim_punctuation(word);
            const std::string lower_word = lowercase(clean);
            if (clean.empty() || contains(clean, "@") || lower_word == "and" ||
                lower_word == "my" || lower_word == "email" || lower_word == "at") {
                break;
            }
            name += (name.empty() ? "" : " ") + clean;
            if (word.back() == ',' || word.back() == '.' ||
                std::count(name.begin(), name.end(), ' ') == 2)
                break;
        }
        if (!name.empty()) return name;
    }
    return std::nullopt;
}

void add_person(json& arguments, std::string_view text) {
    if (auto name = find_name(text)) arguments["name"] = *name;
    if (auto email =
            find_word(text, [](std::string_view w) { return tools::is_email_address(w); })) {
        arguments["email"] = *email;
    }
}

// "book me a 30 minute meeting at ..." -> "30 minute meeting".
std::optional<std::string> event_type_between_book_and_at(std::string_view text) {
    const std::string lower = lowercase(text);
    const auto book = lower.find("book");
    const auto at = lower.find(" at ", book);
    if (book == std::string::npos || at == std::string::npos) return std::nullopt;
    std::string type;
    bool leading = true;
    for (const auto& word : words_of(text.substr(book + 4, at - book - 4))) {
        const std::string lower_word = lowercase(word);
        if (leading &&
            (lower_word == "me" || lower_word == "a" || lower_word == "an" || lower_word == "the"))
            continue;
        leading = false;
        type += (type.empty() ? "" : " ") + trim_punctuation(word);
    }
    if (type.empty()) return std::nullopt;
    return type;
}

// For an availability answer: how to book its first open time in the sandbox, which has no memory
// of the conversation, so the person can copy the exact phrase.
std::string booking_hint(const json& output) {
    if (!output.is_object() || !output.contains("days") || !output["days"].is_array()) return {};
    for (const auto& day : output["days"]) {
        if (!day.contains("slots") || !day["slots"].is_array() || day["slots"].empty()) continue;
        const std::string name =
            output.contains("event_type") ? output["event_type"].value("name", std::string("meeting"))
                                          : std::string("meeting");
        return " To book the first one here, say: \"Book a " + name + " at " +
               day["slots"][0].get<std::string>() + ", my name is <your name>, <your email>, " +
               output.value("timezone", std::string("UTC")) + "\".";
    }
    return {};
}

// cancel_booking and reschedule_booking without "confirmed" answer the question to read back
// ("... Ask: cancel the 30 Minute Meeting on Tuesday ...? Call cancel_booking again ..."): as a
// real model would, the sandbox asks it in plain words and says how to say yes.
std::optional<std::string> confirmation_question(const json& output) {
    if (!output.is_object() || output.value("confirmation_needed", false) != true) return std::nullopt;
    const std::string message = output.value("message", std::string());
    const auto ask = message.find("Ask: ");
    const auto end = ask == std::string::npos ? std::string::npos : message.find('?', ask);
    if (end == std::string::npos) return std::nullopt;
    std::string question = message.substr(ask + 5, end + 1 - ask - 5);
    if (!question.empty()) question.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(question.front())));
    return "nothing is changed yet. " + question + " Say \"yes\" to confirm.";
}

std::string describe(const json& output) {
    if (output.is_object()) {
        if (auto error = output.find("error"); error != output.end() && error->is_object()) {
            return "that did not work: " + error->value("message", std::string("an unknown error"));
        }
        if (auto question = confirmation_question(output)) return *question;
        if (auto message = output.find("message");
            message != output.end() && message->is_string()) {
            std::string text = message->get<std::string>();
            if (const auto hint = booking_hint(output); !hint.empty()) {
                if (!text.empty() && text.back() != '.') text += '.';
                text += hint;
            }
            return text;
        }
    }
    std::string dumped = output.dump(-1, ' ', false, json::error_handler_t::replace);
    if (dumped.size() > 400) dumped = dumped.substr(0, 400) + "...";
    return "here is what I found: " + dumped;
}

// "book ... at <RFC 3339 time> ..." (what a typed request and the page's slot buttons say): the
// book_meeting arguments it holds; nullopt when it is not a booking request.
std::optional<json> booking_request(std::string_view user_text) {
    const std::string lower = lowercase(user_text);
    if (!contains(lower, "book") || !contains(lower, " at ")) return std::nullopt;
    json arguments = json::object();
    if (auto type = event_type_between_book_and_at(user_text)) arguments["event_type"] = *type;
    if (auto start = find_word(
            user_text, [](std::string_view w) { return tools::is_rfc3339_date_time(w); })) {
        arguments["start_time"] = *start;
    }
    add_person(arguments, user_text);
    if (auto zone = find_word(user_text, looks_like_timezone)) arguments["timezone"] = *zone;
    return arguments;
}

// A booking request without the person's name or email: as a real assistant must, ask for them
// before booking anything (the answer is the confirmation step).
FakeTurn asking_for_person(const json& request) {
    std::string what = "the " + request.value("event_type", std::string("meeting"));
    if (request.contains("start_time")) what += " at " + request["start_time"].get<std::string>();
    if (request.contains("timezone")) what += " (" + request["timezone"].get<std::string>() + ")";
    FakeTurn turn;
    turn.answer = [what](const std::vector<json>&) {
        return std::string(kIntro) + "to book " + what +
               ", I need your name and email. Reply with them, for example \"My name is Ada "
               "Lovelace, ada@example.com\", and I will book it.";
    };
    return turn;
}

}  // namespace

FakeTurn sandbox::calling(std::string tool, json arguments) {
    FakeTurn turn;
    turn.calls.push_back(FakeToolCall{std::move(tool), std::move(arguments)});
    turn.answer = [](const std::vector<json>& outputs) {
        return std::string(kIntro) +
               (outputs.empty() ? "the tool gave no answer." : describe(outputs.front()));
    };
    return turn;
}

std::string person_time_zone_in(std::string_view instructions) {
    constexpr std::string_view kMarker = "the person's time zone is ";
    const auto at = instructions.find(kMarker);
    if (at == std::string_view::npos) return {};
    const auto words = words_of(instructions.substr(at + kMarker.size()));
    if (words.empty()) return {};
    // IANA names are letters, digits and "/_+-" ("UTC", "Etc/GMT+5", "America/Port-au-Prince").
    const std::string zone = trim_punctuation(words.front());
    const bool iana_like = !zone.empty() && std::all_of(zone.begin(), zone.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("/_+-").find(c) != std::string_view::npos;
    });
    return iana_like ? zone : std::string();
}

FakeTurn sandbox_turn(std::string_view user_text, const std::vector<std::string>& earlier,
                      std::string_view person_time_zone) {
    // As the instructions tell a real model: the person's zone goes to the tools that take one,
    // unless the person named another.
    const auto with_zone = [person_time_zone](json arguments) {
        if (!person_time_zone.empty() && !arguments.contains("timezone"))
            arguments["timezone"] = std::string(person_time_zone);
        return arguments;
    };
    if (auto turn = booking_change_turn(user_text, earlier, with_zone)) return std::move(*turn);
    const std::string lower = lowercase(user_text);
    if (contains(lower, "meeting type") || contains(lower, "kinds of meeting") ||
        contains(lower, "types of meeting")) {
        return calling("get_available_meeting_types", json::object());
    }
    if (auto request = booking_request(user_text)) {
        if (!request->contains("name") || !request->contains("email"))
            return asking_for_person(with_zone(std::move(*request)));
        return calling("book_meeting", with_zone(std::move(*request)));
    }
    if (auto turn = self_service_turn(user_text, earlier)) return std::move(*turn);
    if (contains(lower, "schedule")) {
        json arguments = json::object();
        add_person(arguments, user_text);
        return calling("schedule_call", std::move(arguments));
    }
    if (contains(lower, "availab") || contains(lower, " free") || contains(lower, "open slot")) {
        json arguments = json::object();
        if (auto date = find_word(user_text,
                                  [](std::string_view w) { return tools::is_calendar_date(w); })) {
            arguments["start_date"] = *date;
        }
        if (auto zone = find_word(user_text, looks_like_timezone)) arguments["timezone"] = *zone;
        if (auto type = event_type_for_availability(user_text)) arguments["event_type"] = *type;
        return calling("check_meeting_availability", with_zone(std::move(arguments)));
    }
    // The name and email asked for: they complete the latest booking request of the conversation.
    json person = json::object();
    add_person(person, user_text);
    if (person.contains("email")) {
        for (auto text = earlier.rbegin(); text != earlier.rend(); ++text) {
            auto request = booking_request(*text);
            if (!request) continue;
            request->update(person);
            if (!request->contains("name")) return asking_for_person(with_zone(std::move(*request)));
            return calling("book_meeting", with_zone(std::move(*request)));
        }
    }
    FakeTurn help;
    help.answer = [](const std::vector<json>&) {
        return std::string(kIntro) +
               "I can list meeting types, check availability, send a booking link, book a slot, or "
               "find, cancel or move your bookings once you prove your email (\"Manage my booking, "
               "ada@example.com\"). "
               "Try \"What "
               "meeting types are there?\", \"Is anything available on 2030-01-31?\", \"Schedule a "
               "call, my name is "
               "Ada Lovelace, ada@example.com\" or \"Book a 30 minute meeting at "
               "2030-01-31T15:00:00Z, my name is "
               "Ada Lovelace, ada@example.com, Europe/London\".";
    };
    return help;
}

std::string sandbox_note_answer(std::string_view note) {
    // Sentences end at ". " (a full stop inside a time such as "10.30" is not followed by a space).
    const auto end = note.find(". ");
    const std::string_view first = end == std::string_view::npos ? note : note.substr(0, end + 1);
    return std::string(kIntro) + "good news! " + std::string(first);
}

std::string sandbox_greeting() {
    return std::string(kIntro) +
           "hello! I can list the host's meeting types, check availability and book a meeting. How can I "
           "help?";
}

std::string sandbox_audio_notice() {
    return std::string(kIntro) +
           "I cannot hear audio in the sandbox. Please type your message instead.";
}

}  // namespace calrt::testing

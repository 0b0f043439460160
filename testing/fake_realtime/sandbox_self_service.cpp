// The sandbox assistant's self-service phrases: proving an email with a code, listing one's own
// bookings, and cancelling or moving one, confirmed only by the person's yes (as the tools require
// of a real model).
#include <algorithm>

#include "calrt/tools/argument_validation.hpp"
#include "testing/fake_realtime/sandbox_phrases.hpp"

namespace calrt::testing::sandbox {

using nlohmann::json;

// Invitee self-service, as the instructions tell a real model: "manage my booking, <email>" sends a
// code, "my code is 123456" checks it, "show my bookings" lists them; the email is the latest one
// the person gave. Nullopt for other texts.
std::optional<FakeTurn> self_service_turn(std::string_view user_text, const std::vector<std::string>& earlier) {
    const std::string lower = lowercase(user_text);
    const auto email_in = [](std::string_view text) {
        return find_word(text, [](std::string_view w) { return tools::is_email_address(w); });
    };
    const auto latest_email = [&]() -> std::optional<std::string> {
        if (auto email = email_in(user_text)) return email;
        for (auto text = earlier.rbegin(); text != earlier.rend(); ++text) {
            if (auto email = email_in(*text)) return email;
        }
        return std::nullopt;
    };
    const auto six_digits = find_word(user_text, [](std::string_view w) {
        return w.size() == 6 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
    });
    if (six_digits && contains(lower, "code")) {
        if (auto email = latest_email()) {
            return calling("check_verification_code", json{{"email", *email}, {"code", *six_digits}});
        }
    }
    if (contains(lower, "my booking") || contains(lower, "my meeting")) {
        const bool asking_to_prove = contains(lower, "manage") || contains(lower, "verify") || email_in(user_text);
        if (auto email = latest_email()) {
            return asking_to_prove ? calling("send_verification_code", json{{"email", *email}})
                                   : calling("find_my_bookings", json{{"email", *email}});
        }
    }
    return std::nullopt;
}

namespace {

// The booking a message is about: an event URI ("…/scheduled_events/<uuid>", find_my_bookings'
// `event`) or the word after "booking id" (what the page's buttons say).
std::optional<std::string> booking_reference(std::string_view text) {
    const auto words = words_of(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string clean = trim_punctuation(words[i]);
        if (contains(clean, "/scheduled_events/")) return clean;
        if (i > 0 && i + 1 < words.size() && lowercase(clean) == "id" &&
            lowercase(trim_punctuation(words[i - 1])) == "booking") {
            const std::string id = trim_punctuation(words[i + 1]);
            if (!id.empty()) return id;
        }
    }
    return std::nullopt;
}

// The person's yes: "yes ..." or "I confirm".
bool says_yes(std::string_view lower) {
    return lower.starts_with("yes") || contains(lower, "i confirm");
}

}  // namespace

// Cancelling or moving a booking the message names: cancel_booking or reschedule_booking, with
// "confirmed": true only when the message is the person's yes. A move without a new time asks for
// the open times of the meeting type the message names ("available for the …"). A bare "yes" right
// after such a request confirms it. Nullopt when the message is about no booking.
std::optional<FakeTurn> booking_change_turn(std::string_view user_text, const std::vector<std::string>& earlier,
                                            const std::function<json(json)>& with_zone) {
    const std::string lower = lowercase(user_text);
    auto reference = booking_reference(user_text);
    std::string request(user_text);
    if (!reference) {
        // "Yes" to the question the last answer asked.
        if (!says_yes(lower) || earlier.empty()) return std::nullopt;
        reference = booking_reference(earlier.back());
        if (!reference) return std::nullopt;
        request = earlier.back();
    }
    const std::string request_lower = lowercase(request);
    const bool confirmed = says_yes(lower);
    std::optional<std::string> email;
    for (const auto& text : {std::string(user_text), request}) {
        if (!email) email = find_word(text, [](std::string_view w) { return tools::is_email_address(w); });
    }
    for (auto text = earlier.rbegin(); !email && text != earlier.rend(); ++text) {
        email = find_word(*text, [](std::string_view w) { return tools::is_email_address(w); });
    }
    if (!email) {
        FakeTurn turn;
        turn.answer = [](const std::vector<json>&) {
            return std::string(kIntro) + "first prove your email: say \"Manage my booking, <your email>\".";
        };
        return turn;
    }
    json arguments{{"email", *email}, {"event", *reference}};
    if (contains(request_lower, "cancel")) {
        if (confirmed) arguments["confirmed"] = true;
        return calling("cancel_booking", std::move(arguments));
    }
    if (!contains(request_lower, "move") && !contains(request_lower, "reschedule")) return std::nullopt;
    const auto new_start = find_word(request, [](std::string_view w) { return tools::is_rfc3339_date_time(w); });
    if (!new_start) {
        json availability = json::object();
        if (auto type = event_type_for_availability(request)) availability["event_type"] = *type;
        if (auto zone = find_word(request, looks_like_timezone)) availability["timezone"] = *zone;
        return calling("check_meeting_availability", with_zone(std::move(availability)));
    }
    arguments["new_start_time"] = *new_start;
    if (confirmed) arguments["confirmed"] = true;
    return calling("reschedule_booking", std::move(arguments));
}

}  // namespace calrt::testing::sandbox

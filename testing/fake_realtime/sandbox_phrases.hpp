#pragma once
// What the sandbox assistant's two halves share (sandbox_assistant.cpp: the booking phrases;
// sandbox_self_service.cpp: proving an email and changing one's own bookings): how it reads words
// out of a message and how it answers with one tool call.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::testing::sandbox {

// Every answer starts with this: the sandbox says what it is.
inline constexpr std::string_view kIntro =
    "Sandbox assistant (no OpenAI key is configured, so this is not a real AI): ";

std::string lowercase(std::string_view text);
bool contains(std::string_view haystack, std::string_view needle);
std::string trim_punctuation(std::string word);
std::vector<std::string> words_of(std::string_view text);
// The first word (punctuation trimmed) that `matches`.
std::optional<std::string> find_word(std::string_view text, bool (*matches)(std::string_view));
bool looks_like_timezone(std::string_view word);
// "is the 30 minute meeting available ..." -> the meeting type's words; nullopt when none is named.
std::optional<std::string> event_type_for_availability(std::string_view text);

// A turn calling `tool` with `arguments`, answered with the tool's message (or its error's).
FakeTurn calling(std::string tool, nlohmann::json arguments);

// "manage my booking, <email>" / "my code is 123456" / "show my bookings": send_verification_code,
// check_verification_code, find_my_bookings for the latest email given. Nullopt for other texts.
std::optional<FakeTurn> self_service_turn(std::string_view user_text, const std::vector<std::string>& earlier);

// Cancelling or moving a booking the message names (cancel_booking, reschedule_booking), confirmed
// only by the person's yes; nullopt when the message is about no booking. `with_zone` adds the
// person's zone to a tool's arguments.
std::optional<FakeTurn> booking_change_turn(std::string_view user_text, const std::vector<std::string>& earlier,
                                            const std::function<nlohmann::json(nlohmann::json)>& with_zone);

}  // namespace calrt::testing::sandbox

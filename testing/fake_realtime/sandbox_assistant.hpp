#pragma once
// The sandbox assistant: what the fake Realtime server does with a message no script covers, so the
// whole flow (browser or terminal -> relay -> "model" -> tools -> Calendly) can be tried without an
// OpenAI key. It is not an AI and says so: it maps plain phrases to the booking tools
//   "what meeting types ..."            -> get_available_meeting_types {}
//   "book ... at <RFC 3339 time> ..."   -> book_meeting {event_type, start_time, name, email,
//                                          timezone}, once it has the name and email (it asks
//                                          for them first, as the page's slot buttons leave
//                                          them out)
//   "schedule ..."                      -> schedule_call {name, email} (those found in the text)
//   "... available ..." / "availability" / "free" -> check_meeting_availability {start_date?,
//                                          timezone?}
//   "manage my booking, <email>" / "my code is 123456" / "show my bookings"
//                                       -> send_verification_code / check_verification_code /
//                                          find_my_bookings {email (the latest one given)}
//   "cancel ... booking id <uuid>"      -> cancel_booking {email, event}; with the person's yes
//                                          ("yes, ..." or "I confirm", or a bare "yes" after the
//                                          question) also "confirmed": true
//   "move/reschedule ... booking id <uuid> ... <RFC 3339 time>" -> reschedule_booking {email,
//                                          event, new_start_time, confirmed on a yes}; without a
//                                          time, check_meeting_availability for the type it names
//   on a phone call (phone simulate): "a human" / "a person" -> transfer_to_human {reason};
//   "goodbye" / "bye" -> end_call {}; a response asked for with instructions and nothing to
//   answer (the call's greeting) -> a greeting
// and answers with the tool's "message" (or its error's message). A zone named in the text wins;
// else the person's zone from the session's instructions (as a real model reads it there), so the
// tool says times in the zone the page's cards use rather than the host's.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::testing {

// `earlier`: the conversation's user texts answered before this one, oldest first. The sandbox
// remembers only this much: a name and email sent on their own complete the latest booking
// request ("book ... at <time>") that lacked them. `person_time_zone`: the person's IANA zone when
// the session's instructions give it (person_time_zone_in), else empty.
FakeTurn sandbox_turn(std::string_view user_text, const std::vector<std::string>& earlier = {},
                      std::string_view person_time_zone = {});

// The person's zone as the relay's instructions state it (realtime/assistant_instructions.cpp: "the
// person's time zone is <zone> ..."); empty when they do not (the assistant is to ask for it).
std::string person_time_zone_in(std::string_view instructions);

// The reply to a system note the application added (e.g. the relay's booking confirmation): the
// note's first sentence, the part that states what happened.
std::string sandbox_note_answer(std::string_view note);

// On a phone call, whose session offers transfer_to_human and end_call: "a human", "a person",
// "someone", "operator" -> transfer_to_human {reason}; "goodbye", "bye", "hang up", "that's all"
// -> end_call {}. Nullopt for other texts, or when the session does not offer the tool.
std::optional<FakeTurn> sandbox_call_control_turn(std::string_view user_text,
                                                  const nlohmann::json& session);

// The reply to a response asked for with instructions and nothing to answer (a phone call's
// greeting): what the sandbox is and what it can do.
std::string sandbox_greeting();

// The reply to input audio, which the sandbox cannot hear.
std::string sandbox_audio_notice();

}  // namespace calrt::testing

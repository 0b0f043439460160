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
// and answers with the tool's "message" (or its error's message).

#include <string>
#include <string_view>
#include <vector>

#include "testing/fake_realtime/fake_realtime.hpp"

namespace calrt::testing {

// `earlier`: the conversation's user texts answered before this one, oldest first. The sandbox
// remembers only this much: a name and email sent on their own complete the latest booking
// request ("book ... at <time>") that lacked them.
FakeTurn sandbox_turn(std::string_view user_text, const std::vector<std::string>& earlier = {});

// The reply to a system note the application added (e.g. the relay's booking confirmation): the
// note's first sentence, the part that states what happened.
std::string sandbox_note_answer(std::string_view note);

// The reply to input audio, which the sandbox cannot hear.
std::string sandbox_audio_notice();

}  // namespace calrt::testing

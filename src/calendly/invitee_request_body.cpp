#include "invitee_request_body.hpp"

#include "calrt/core/time.hpp"

namespace calrt::calendly {

// developer.calendly.com, "Create Event Invitee" (as transcribed from the OpenAPI, research §1):
// `location` is {"kind", "location"?} and is left out for a type without a location
// specification; `questions_and_answers` entries carry `question` (the exact text), `answer` and
// `position`, all three required.
nlohmann::json invitee_request_body(const InviteeRequest& request) {
    nlohmann::json body{
        {"event_type", request.event_type_uri},
        {"start_time", format_calendly_time(request.start_time)},
        {"invitee",
         {{"name", request.name}, {"email", request.email}, {"timezone", request.timezone}}}};
    if (request.location) {
        nlohmann::json location{{"kind", request.location->kind}};
        if (request.location->location) location["location"] = *request.location->location;
        body["location"] = std::move(location);
    }
    if (!request.answers.empty()) {
        auto& answers = body["questions_and_answers"] = nlohmann::json::array();
        for (const auto& answer : request.answers) {
            answers.push_back({{"question", answer.question},
                               {"answer", answer.answer},
                               {"position", answer.position}});
        }
    }
    return body;
}

}  // namespace calrt::calendly

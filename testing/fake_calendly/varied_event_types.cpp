#include "testing/fake_calendly/varied_event_types.hpp"

#include <nlohmann/json.hpp>

// Shapes from Calendly's event type resource (developer.calendly.com, "Get Event Type";
// /work/research/calendly.md §2): locations[] {kind, location?, phone_number?, additional_info?,
// position}; custom_questions[] {name, type, position, enabled, required, answer_choices,
// include_other}.

namespace calrt::testing::fake {
namespace {

using nlohmann::json;

struct VariedSeed {
    const char* name;
    const char* slug;
    int minutes;
    const char* color;
    const char* description;
    json locations;
    json questions;
};

json question(const char* name, const char* type, int position, bool required,
              json choices = json::array(), bool include_other = false) {
    return {{"name", name},
            {"type", type},
            {"position", position},
            {"enabled", true},
            {"required", required},
            {"answer_choices", std::move(choices)},
            {"include_other", include_other}};
}

std::vector<VariedSeed> varied_seeds() {
    return {
        {"Phone Call", "phone-call", 20, "#0099cc", "The host calls you at the number you give.",
         json::array({{{"kind", "outbound_call"}, {"position", 0}}}), json::array()},
        {"Call In", "call-in", 20, "#33aa77", "You call the host.",
         json::array({{{"kind", "inbound_call"},
                       {"phone_number", "+14155550100"},
                       {"additional_info", "Dial in at the start time."},
                       {"position", 0}}}),
         json::array()},
        {"Site Visit", "site-visit", 60, "#aa7733", "The host comes to a place you name.",
         json::array({{{"kind", "ask_invitee"}, {"position", 0}}}), json::array()},
        {"Office Meeting", "office-meeting", 45, "#7733aa", "At the host's office.",
         json::array({{{"kind", "physical"},
                       {"location", "500 Market St, San Francisco, CA"},
                       {"additional_info", "Ask at the front desk."},
                       {"position", 0}}}),
         json::array()},
        {"Intake Interview", "intake-interview", 30, "#cc3366", "A few questions before we start.",
         json::array({{{"kind", "zoom_conference"}, {"position", 0}}}),
         json::array(
             {question("Company name", "string", 0, true),
              question("Topic", "single_select", 1, true, {"Sales", "Support", "Partnership"}),
              question("Products of interest", "multi_select", 2, true,
                       {"Scheduling", "Routing", "Analytics"}),
              question("Mobile number", "phone_number", 3, false),
              question("Anything else?", "text", 4, false)})},
        {"Workshop", "workshop", 90, "#3366cc", "Online or at the office.",
         json::array({{{"kind", "zoom_conference"}, {"position", 0}},
                      {{"kind", "physical"},
                       {"location", "500 Market St, San Francisco, CA"},
                       {"position", 1}}}),
         json::array()},
        {"Team Intro", "team-intro", 30, "#66cc33", "A meeting without a set place.", json(nullptr),
         json::array()},
        {"Custom Place", "custom-place", 30, "#cc6633", "Where the host says.",
         json::array(
             {{{"kind", "custom"}, {"location", "The usual coffee place"}, {"position", 0}}}),
         json::array()},
    };
}

}  // namespace

void seed_varied_event_types(CalendarStore& store, ResourceIds& ids, int first_position,
                             TimePoint created) {
    int position = first_position;
    for (auto& seed : varied_seeds()) {
        EventTypeRecord type;
        type.uuid = ids.uuid();
        type.name = seed.name;
        type.slug = seed.slug;
        type.duration_minutes = seed.minutes;
        type.color = seed.color;
        type.description = seed.description;
        type.position = position++;
        type.locations = std::move(seed.locations);
        type.custom_questions = std::move(seed.questions);
        type.created_at = type.updated_at = created;
        store.add_event_type(type);
    }
}

}  // namespace calrt::testing::fake

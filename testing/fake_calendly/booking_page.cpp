#include "testing/fake_calendly/booking_page.hpp"

#include <cstdio>

#include "testing/fake_calendly/calendly_time.hpp"
#include "testing/fake_calendly/resource_json.hpp"

namespace calrt::testing::fake {
namespace {

constexpr const char* kStyle =
    "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
    "label{display:block;margin:.5rem 0}fieldset{margin:1rem 0}.error{color:#b00020}"
    ".sandbox{background:#fff4ce;padding:.5rem;border-radius:4px}</style>";

std::string page(const std::string& title, const std::string& body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width,initial-scale=1\"><title>" +
           html_escape(title) + "</title>" + kStyle +
           "</head><body><p class=\"sandbox\">Sandbox: fake Calendly data, "
           "no real meeting is booked.</p>" +
           body + "</body></html>";
}

}  // namespace

std::string describe_slot(TimePoint start) {
    using namespace std::chrono;
    static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
    const auto day = floor<days>(start);
    const hh_mm_ss clock{floor<minutes>(start - day)};
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %s %02ld:%02ld UTC", kDays[weekday{day}.c_encoding()],
                  format_date(start).c_str(), static_cast<long>(clock.hours().count()),
                  static_cast<long>(clock.minutes().count()));
    return buffer;
}

std::string render_booking_page(const BookingPageView& view) {
    const auto& type = view.event_type;
    std::string body = "<h1>" + html_escape(type.name) + "</h1><p>" +
                       std::to_string(type.duration_minutes) + " min with " +
                       html_escape(view.host_name) + "</p><p>" + html_escape(type.description) +
                       "</p>";
    if (!view.error.empty())
        body += "<p class=\"error\" role=\"alert\">" + html_escape(view.error) + "</p>";
    if (view.open_slots.empty()) {
        return page(type.name, body + "<p>No times are available in the next two weeks.</p>");
    }
    body += "<form method=\"post\" action=\"" + html_escape(view.form_action) + "\">";
    body += "<label>Name <input name=\"name\" required value=\"" + html_escape(view.prefill.name) +
            "\"></label>";
    body += "<label>Email <input name=\"email\" type=\"email\" required value=\"" +
            html_escape(view.prefill.email) + "\"></label>";
    body +=
        "<label>Please share anything that will help prepare for our meeting. <textarea "
        "name=\"a1\">" +
        html_escape(view.prefill.purpose) + "</textarea></label>";
    body += "<input type=\"hidden\" name=\"timezone\" value=\"UTC\">";
    if (!view.prefill.utm_content.empty()) {
        body += "<input type=\"hidden\" name=\"utm_content\" value=\"" +
                html_escape(view.prefill.utm_content) + "\">";
    }
    body += "<fieldset><legend>Choose a time (UTC)</legend>";
    bool first = true;
    for (const auto start : view.open_slots) {
        const bool checked = view.selected ? *view.selected == start : first;
        first = false;
        body += "<label><input type=\"radio\" name=\"start_time\" required value=\"" +
                format_compact_time(start) + "\"" + (checked ? " checked" : "") + "> " +
                describe_slot(start) + "</label>";
    }
    body += "</fieldset><button type=\"submit\">Schedule Event</button></form>";
    return page(type.name, body);
}

std::string render_booking_confirmation(const std::string& host_name,
                                        const EventTypeRecord& event_type,
                                        const InviteeRecord& invitee, TimePoint start) {
    return page("You are scheduled", "<h1>You are scheduled</h1><p>" +
                                         html_escape(event_type.name) + " with " +
                                         html_escape(host_name) + "</p><p>" + describe_slot(start) +
                                         "</p><p>A calendar invitation has been sent to " +
                                         html_escape(invitee.email) + ".</p>");
}

std::string render_message_page(const std::string& title, const std::string& message) {
    return page(title, "<h1>" + html_escape(title) + "</h1><p>" + html_escape(message) + "</p>");
}

}  // namespace calrt::testing::fake

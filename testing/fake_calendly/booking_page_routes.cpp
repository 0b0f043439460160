#include <boost/url/parse.hpp>
#include <map>

#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/booking_page.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing::fake {
namespace {

constexpr auto kPageWindow = std::chrono::days(14);
constexpr std::size_t kMaxSlotsShown = 24;
constexpr const char* kPurposeQuestion =
    "Please share anything that will help prepare for our meeting.";

server::Response html(unsigned status, std::string body) {
    server::Response response;
    response.status = status;
    response.content_type = "text/html; charset=utf-8";
    response.body = std::move(body);
    return response;
}

server::Response link_gone() {
    // What Calendly shows for a single-use link that was used (max_event_count is 1) or never
    // existed.
    return html(404,
                render_message_page(
                    "This link is no longer valid",
                    "This single-use scheduling link has already been used or does not exist."));
}

using Fields = std::map<std::string, std::string, std::less<>>;

std::string field(const Fields& fields, std::string_view name) {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
}

// Calendly's prefill parameters: name (or first_name + last_name), email, a1; and utm_content.
BookingPrefill prefill_from(const Fields& query) {
    BookingPrefill prefill{field(query, "name"), field(query, "email"), field(query, "a1"),
                           field(query, "utm_content")};
    if (prefill.name.empty()) {
        const std::string first = field(query, "first_name");
        const std::string last = field(query, "last_name");
        prefill.name = first + (!first.empty() && !last.empty() ? " " : "") + last;
    }
    return prefill;
}

Fields query_fields(const server::Request& request) {
    Fields fields;
    for (const auto& [key, value] : request.query) fields.emplace(key, value);
    return fields;
}

// An application/x-www-form-urlencoded body ('+' is a space).
std::optional<Fields> form_fields(const std::string& body) {
    const std::string target = "/?" + body;
    const auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return std::nullopt;
    Fields fields;
    for (const auto param : parsed->params()) fields.emplace(param.key, param.value);
    return fields;
}

struct PageTarget {
    EventTypeRecord event_type;
    std::optional<std::string> link_id;  // set for /d/{link}/{slug}
};

std::optional<PageTarget> target_of(const FakeState& fake, const server::Request& request) {
    if (const auto link_id = request.path_param("link")) {
        const auto link = fake.store.link(*link_id);
        if (!link || link->used) return std::nullopt;
        auto type = fake.store.event_type(link->event_type_uuid);
        if (!type) return std::nullopt;
        return PageTarget{std::move(*type), std::string(*link_id)};
    }
    // The host's own pages ({base}/alex-rivera/{slug}), or a team's ({base}/team/{team}/{slug}).
    const auto slug = request.path_param("slug");
    const auto team = request.path_param("team");
    const std::string host_uuid = fake.store.host().uuid;
    for (auto& type : fake.store.event_types()) {
        const bool on_this_page =
            team ? type.is_team_type() && type.team_slug == *team : type.owner_uuid == host_uuid;
        if (on_this_page && slug == type.slug && type.active)
            return PageTarget{std::move(type), std::nullopt};
    }
    return std::nullopt;
}

BookingPageView view_of(const FakeState& fake, const server::Request& request,
                        const PageTarget& target) {
    const auto now = fake.now();
    auto slots = fake.store.open_slots(target.event_type, now, now + kPageWindow, now);
    if (slots.size() > kMaxSlotsShown) slots.resize(kMaxSlotsShown);
    BookingPageView view;
    view.form_action = request.path;
    view.host_name = target.event_type.is_team_type() ? target.event_type.team_name
                                                      : fake.store.owner_of(target.event_type).name;
    view.event_type = target.event_type;
    view.open_slots = std::move(slots);
    if (const auto start = request.path_param("start")) view.selected = parse_rfc3339(*start);
    return view;
}

server::Response show_page(FakeState& fake, const server::Request& request) {
    const auto target = target_of(fake, request);
    if (!target)
        return request.path_param("link") ? link_gone()
                                          : html(404, render_message_page("Page not found", ""));
    auto view = view_of(fake, request, *target);
    view.prefill = prefill_from(query_fields(request));
    return html(200, render_booking_page(view));
}

server::Response book_from_page(FakeState& fake, const server::Request& request) {
    const auto target = target_of(fake, request);
    if (!target)
        return request.path_param("link") ? link_gone()
                                          : html(404, render_message_page("Page not found", ""));
    const auto fields = form_fields(request.body);
    if (!fields)
        return html(400, render_message_page("Bad request", "The form could not be read."));

    auto view = view_of(fake, request, *target);
    view.prefill = prefill_from(*fields);
    const auto start = parse_rfc3339(field(*fields, "start_time"));
    if (view.prefill.name.empty() || view.prefill.email.find('@') == std::string::npos || !start) {
        view.error = "Please enter your name and email and choose a time.";
        return html(400, render_booking_page(view));
    }

    InviteeRecord invitee;
    invitee.name = view.prefill.name;
    invitee.email = view.prefill.email;
    invitee.utm_content = view.prefill.utm_content;
    invitee.timezone = field(*fields, "timezone").empty() ? "UTC" : field(*fields, "timezone");
    if (!view.prefill.purpose.empty()) {
        invitee.questions_and_answers = nlohmann::json::array(
            {{{"question", kPurposeQuestion}, {"answer", view.prefill.purpose}, {"position", 0}}});
    }
    const auto now = fake.now();
    auto outcome =
        target->link_id
            ? fake.store.book_with_link(
                  *target->link_id,
                  {target->event_type.uuid, *start, invitee, "scheduling_link", {}, {}}, now,
                  fake.resources().uris().base() + request.path)
            : fake.store.book({target->event_type.uuid, *start, invitee, "booking_page", {}, {}},
                              now);
    if (!outcome) {
        if (outcome.error().status == 404) return link_gone();
        view.error = "That time is no longer available; please choose another.";
        view.open_slots = view_of(fake, request, *target).open_slots;
        return html(409, render_booking_page(view));
    }
    fake.publish_invitee_event("invitee.created", outcome->event, outcome->invitee);
    return html(200, render_booking_confirmation(view.host_name, target->event_type,
                                                 outcome->invitee, *start));
}

}  // namespace

void add_booking_page_routes(server::Router& router, const std::shared_ptr<FakeState>& state) {
    const server::RouteOptions form{std::nullopt, {"application/x-www-form-urlencoded"}};
    // Calendly's single-use links look like https://calendly.com/d/abcd-brv8/15-minute-meeting.
    router.get("/d/{link}/{slug}", page_route(state, show_page));
    router.post("/d/{link}/{slug}", page_route(state, book_from_page), form);
    // The host's own pages: scheduling_url of an event type, and of an available time.
    const std::string host_pages = std::string("/") + kHostSlug + "/{slug}";
    router.get(host_pages, page_route(state, show_page));
    router.post(host_pages, page_route(state, book_from_page), form);
    router.get(host_pages + "/{start}", page_route(state, show_page));
    router.post(host_pages + "/{start}", page_route(state, book_from_page), form);
    // Team types' pages (their scheduling_url).
    const std::string team_pages = "/team/{team}/{slug}";
    router.get(team_pages, page_route(state, show_page));
    router.post(team_pages, page_route(state, book_from_page), form);
    router.get(team_pages + "/{start}", page_route(state, show_page));
    router.post(team_pages + "/{start}", page_route(state, book_from_page), form);
}

}  // namespace calrt::testing::fake

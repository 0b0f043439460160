// check_meeting_availability {event_type?, start_date?, end_date?, timezone?}: the host's open
// slots from Calendly's available times, grouped by day in the caller's time zone.
#include <algorithm>
#include <boost/asio/this_coro.hpp>
#include <optional>
#include <vector>

#include "calendly_fallback.hpp"
#include "calrt/core/input_validation.hpp"
#include "calrt/net/bounded_parallel.hpp"
#include "calrt/tools/calendly_tools.hpp"
#include "event_type_choice.hpp"
#include "local_calendar.hpp"
#include "tool_arguments.hpp"

namespace calrt::tools {
namespace asio = boost::asio;
using namespace std::chrono;

namespace {

constexpr days default_range{7};
// A month of slots is the most a conversation needs; longer answers only cost the model tokens.
constexpr days max_range{31};
// Said aloud, more than a handful of times per day is noise; the data has them all.
constexpr std::size_t spoken_slots_per_day = 5;

// Organization mode: the most types one call checks at once ("anyone free tomorrow at 10?" over
// every host's 30 minute meeting): each costs Calendly one call per 31 days asked for.
constexpr std::size_t max_event_types = 4;
constexpr std::size_t event_types_at_once = 2;

struct AvailabilityQuery {
    std::optional<std::string> event_type;
    std::vector<std::string> event_types;  // organization mode: several at once
    std::optional<year_month_day> start_date;
    std::optional<year_month_day> end_date;  // inclusive
    std::optional<TimeZone> zone;
};

Result<AvailabilityQuery> read_query(const nlohmann::json& arguments, TimeZoneCache& zones) {
    AvailabilityQuery query;
    auto event_type = optional_string_argument(arguments, "event_type");
    if (!event_type) return event_type.error();
    if (*event_type) {
        auto text = validate_text("event_type", **event_type, 200);
        if (!text) return text.error();
        query.event_type = std::move(*text);
    }
    if (const auto several = arguments.find("event_types"); several != arguments.end() && !several->is_null()) {
        if (!several->is_array() || several->empty() || several->size() > max_event_types) {
            return invalid_field("event_types", "invalid_event_types",
                                 "must be a list of 1 to " + std::to_string(max_event_types) + " meeting types");
        }
        for (const auto& item : *several) {
            if (!item.is_string()) return invalid_field("event_types", "invalid_event_types", "must be strings");
            auto text = validate_text("event_types", item.get<std::string>(), 200);
            if (!text) return text.error();
            query.event_types.push_back(std::move(*text));
        }
        if (query.event_type) {
            return invalid_field("event_types", "invalid_event_types", "give event_type or event_types, not both");
        }
    }
    for (auto [field, slot] :
         {std::pair{"start_date", &query.start_date}, std::pair{"end_date", &query.end_date}}) {
        auto text = optional_string_argument(arguments, field);
        if (!text) return text.error();
        if (!*text) continue;
        auto date = parse_calendar_date(field, **text);
        if (!date) return date.error();
        *slot = *date;
    }
    if (query.start_date && query.end_date && *query.end_date < *query.start_date) {
        return invalid_field("end_date", "invalid_date_range", "must not be before start_date");
    }
    auto timezone = optional_string_argument(arguments, "timezone");
    if (!timezone) return timezone.error();
    if (*timezone) {
        auto zone = validate_time_zone("timezone", **timezone, zones);
        if (!zone) return zone.error();
        query.zone = std::move(*zone);
    }
    return query;
}

// Without the caller's zone: the host's (Calendly's user timezone), else UTC. The answer names
// the zone it used, so the model can tell the person.
asio::awaitable<TimeZone> host_zone(CalendlyToolContext& context) {
    auto host = co_await context.calendly.current_user();
    if (host && !host->timezone.empty()) {
        if (auto zone = context.time_zones.get(host->timezone)) co_return *zone;
    }
    co_return TimeZone::utc();
}

Result<calendly::TimeRange> range_for(const AvailabilityQuery& query, const TimeZone& zone,
                                      Timestamp now) {
    const Timestamp start = query.start_date ? start_of_local_day(zone, *query.start_date) : now;
    Timestamp end;
    if (query.end_date) {
        end = start_of_local_day(zone, sys_days{*query.end_date} + days{1});
    } else if (query.start_date) {
        end = start_of_local_day(zone, sys_days{*query.start_date} + default_range);
    } else {
        end = now + default_range;
    }
    if (end <= now) {
        return invalid_field(query.end_date ? "end_date" : "start_date", "date_in_past",
                             "the dates are in the past; today is " +
                                 format_date(local_date(zone, now)) + " in " + zone.name());
    }
    const Timestamp effective_start = std::max(start, now);
    if (end - effective_start > max_range) {
        return invalid_field(
            "end_date", "date_range_too_long",
            "ask for at most " + std::to_string(max_range.count()) + " days at a time");
    }
    return calendly::TimeRange{effective_start, end};
}

nlohmann::json choose_event_type_answer(const std::vector<calendly::EventType>& types) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& type : types) list.push_back(event_type_with_booking(type));
    return {{"needs_event_type", true},
            {"event_types", std::move(list)},
            {"message", "Which kind of meeting should I check? The host offers: " +
                            list_event_types(types) + "."}};
}

struct DayOfSlots {
    year_month_day date;
    std::vector<LocalTime> slots;
};

std::vector<DayOfSlots> group_by_local_day(const std::vector<calendly::AvailableTime>& slots,
                                           const TimeZone& zone) {
    std::vector<DayOfSlots> days;
    for (const auto& slot : slots) {  // sorted by start, so each day's slots are consecutive
        const LocalTime local = zone.to_local(slot.start_time);
        const year_month_day date{floor<std::chrono::days>(local.wall_time())};
        if (days.empty() || days.back().date != date) days.push_back({date, {}});
        days.back().slots.push_back(local);
    }
    return days;
}

std::string spoken_day_of_slots(const DayOfSlots& day) {
    std::string text = spoken_date(day.date) + ": ";
    const std::size_t said = std::min(day.slots.size(), spoken_slots_per_day);
    for (std::size_t i = 0; i < said; ++i)
        text += (i == 0 ? "" : ", ") + spoken_clock_time(day.slots[i]);
    if (day.slots.size() > said)
        text += " and " + std::to_string(day.slots.size() - said) + " more";
    return text;
}

nlohmann::json availability_answer(const calendly::EventType& type, const TimeZone& zone,
                                   calendly::TimeRange range,
                                   const std::vector<calendly::AvailableTime>& slots) {
    const auto first_day = local_date(zone, range.start);
    const auto last_day = local_date(zone, range.end - milliseconds(1));
    const auto days = group_by_local_day(slots, zone);
    nlohmann::json day_list = nlohmann::json::array();
    std::string spoken_days;
    for (const auto& day : days) {
        nlohmann::json starts = nlohmann::json::array();
        for (const auto& slot : day.slots) starts.push_back(slot.to_rfc3339());
        day_list.push_back({{"date", format_date(day.date)},
                            {"weekday", weekday_name(day.date)},
                            {"slots", std::move(starts)}});
        spoken_days += (spoken_days.empty() ? "" : "; ") + spoken_day_of_slots(day);
    }
    const std::string what = display_name(type) + " (" + std::to_string(type.duration) + " min)";
    std::string message;
    if (slots.empty()) {
        message = "There are no open times for the " + what + " from " + spoken_date(first_day) +
                  " to " + spoken_date(last_day) + ". Try other dates, or pick a time at " +
                  type.scheduling_url;
    } else {
        message = "Open times for the " + what + ", in " + zone.name() + " time: " + spoken_days +
                  ". The person can also pick a time at " + type.scheduling_url;
    }
    return {{"event_type", event_type_with_booking(type)},
            {"timezone", zone.name()},
            {"start_date", format_date(first_day)},
            {"end_date", format_date(last_day)},
            {"days", std::move(day_list)},
            {"slot_count", slots.size()},
            {"booking_url", type.scheduling_url},
            {"message", std::move(message)}};
}

// Several types' answers in one: each type's own answer (without its message) and one message.
nlohmann::json several_answer(const std::vector<nlohmann::json>& answers, const TimeZone& zone,
                              calendly::TimeRange range) {
    nlohmann::json list = nlohmann::json::array();
    std::string message;
    for (auto answer : answers) {
        message += (message.empty() ? "" : " ") + answer.value("message", std::string());
        answer.erase("message");
        list.push_back(std::move(answer));
    }
    return {{"timezone", zone.name()},
            {"start_date", format_date(local_date(zone, range.start))},
            {"end_date", format_date(local_date(zone, range.end - milliseconds(1)))},
            {"event_types", std::move(list)},
            {"message", std::move(message)}};
}

// Organization mode: the open times of several types (several hosts' meetings for one purpose),
// read concurrently, a few at a time, within the client's own limits on calls in flight.
asio::awaitable<nlohmann::json> several_types_availability(CalendlyToolContext& context,
                                                            const AvailabilityQuery& query,
                                                            const std::vector<calendly::EventType>& types) {
    std::vector<const calendly::EventType*> chosen;
    for (const auto& wanted : query.event_types) {
        const auto* type = find_event_type(types, wanted);
        if (!type) co_return error_result(unknown_event_type(wanted, types));
        if (std::find(chosen.begin(), chosen.end(), type) == chosen.end()) chosen.push_back(type);
    }
    std::optional<TimeZone> zone = query.zone;
    if (!zone) zone = co_await host_zone(context);
    auto range = range_for(query, *zone, context.clock.now());
    if (!range) co_return error_result(range.error());

    const Result<std::vector<calendly::AvailableTime>> unfinished =
        Error::make(ErrorKind::internal, "availability_failed", "the open times could not be read; try again");
    const auto found = co_await net::gather_bounded<Result<std::vector<calendly::AvailableTime>>>(
        co_await asio::this_coro::executor, chosen.size(), event_types_at_once,
        [&](std::size_t i) { return context.calendly.available_times(chosen[i]->uri, *range); }, unfinished);
    std::vector<nlohmann::json> answers;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (!found[i]) {
            // One type's failure fails the answer: a partial list would read as "the others are busy".
            if (is_calendly_failure(found[i].error())) {
                co_return calendly_failure_answer(context, "check_meeting_availability", "check the calendar",
                                                  found[i].error(), chosen[i]);
            }
            co_return error_result(found[i].error());
        }
        if (context.slots_seen_open) context.slots_seen_open->remember(chosen[i]->uri, *found[i], context.clock.now());
        answers.push_back(availability_answer(*chosen[i], *zone, *range, *found[i]));
    }
    co_return several_answer(answers, *zone, *range);
}

}  // namespace

ToolSpec check_meeting_availability_spec(bool several_types) {
    ToolSpec spec;
    spec.name = "check_meeting_availability";
    spec.description =
        "Find the host's open meeting times. Answers the open start times grouped by day in the "
        "person's time zone, plus a booking link. Without dates it checks the next 7 days. If the "
        "host offers several meeting types and none is given, it answers with the types to choose "
        "from: ask the person which one. Use the exact start times it returns when booking. The "
        "event type's `booking` says what to ask the person before book_meeting (location choice, "
        "phone number, place, required questions), or that it is booked by link only.";
    nlohmann::json properties = {
        {"event_type",
         {{"type", "string"},
          {"maxLength", 200},
          {"description",
           "The meeting type: its name as get_available_meeting_types lists it (e.g. \"30 Minute "
           "Meeting\"), its slug, or its uri. Optional when the host offers only one type."}}},
        {"start_date",
         {{"type", "string"},
          {"format", "date"},
          {"description",
           "First day to check, YYYY-MM-DD in the person's time zone. Default: today."}}},
        {"end_date",
         {{"type", "string"},
          {"format", "date"},
          {"description",
           "Last day to check (inclusive), YYYY-MM-DD. Default: 7 days after start_date. At most "
           "31 days after start_date."}}},
        {"timezone",
         {{"type", "string"},
          {"maxLength", 64},
          {"description",
           "The person's IANA time zone, e.g. \"Europe/Berlin\", for grouping days and saying "
           "times. Default: the host's time zone."}}}};
    if (several_types) {
        spec.description +=
            " Several people host here: to find whoever is free (\"anyone free tomorrow at 10?\"), give "
            "`event_types` instead, up to 4 types at once (e.g. each host's meeting of that kind); the "
            "answer has each type's open times.";
        properties["event_types"] = {
            {"type", "array"},
            {"minItems", 1},
            {"maxItems", max_event_types},
            {"items", {{"type", "string"}, {"maxLength", 200}}},
            {"description",
             "Organization only: several meeting types to check at once, named as event_type is. Not "
             "with event_type."}};
    }
    spec.parameters = {
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
    return spec;
}

asio::awaitable<nlohmann::json> check_meeting_availability(CalendlyToolContext& context,
                                                           const nlohmann::json& arguments) {
    constexpr std::string_view tool = "check_meeting_availability";
    auto query = read_query(arguments, context.time_zones);
    if (!query) co_return error_result(query.error());

    auto active = co_await offered_types(context);
    if (!active) {
        co_return calendly_failure_answer(context, tool, "check the calendar", active.error());
    }
    const auto types = offered_event_types(*active);
    if (types.empty()) {
        co_return error_result(no_event_types());
    }
    if (!query->event_types.empty()) {
        if (!context.team) {
            co_return error_result(invalid_field("event_types", "invalid_event_types",
                                                 "only an organization's assistant checks several types at once"));
        }
        co_return co_await several_types_availability(context, *query, types);
    }
    const calendly::EventType* type = nullptr;
    if (query->event_type) {
        type = find_event_type(types, *query->event_type);
        if (!type) co_return error_result(unknown_event_type(*query->event_type, types));
    } else if (types.size() == 1) {
        type = &types.front();
    } else {
        co_return choose_event_type_answer(types);
    }

    std::optional<TimeZone> zone = query->zone;
    if (!zone) zone = co_await host_zone(context);
    auto range = range_for(*query, *zone, context.clock.now());
    if (!range) co_return error_result(range.error());

    auto slots = co_await context.calendly.available_times(type->uri, *range);
    if (!slots) {
        if (is_calendly_failure(slots.error())) {
            co_return calendly_failure_answer(context, tool, "check the calendar", slots.error(),
                                              type);
        }
        co_return error_result(slots.error());
    }
    if (context.slots_seen_open) context.slots_seen_open->remember(type->uri, *slots, context.clock.now());
    co_return availability_answer(*type, *zone, *range, *slots);
}

}  // namespace calrt::tools

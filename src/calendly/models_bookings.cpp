// Booked meetings: scheduled events, their invitees, and cancellations.

#include "calrt/calendly/models.hpp"

#include "model_reader.hpp"

namespace calrt::calendly {

using detail::ModelReader;
using detail::read_model;

namespace {

Cancellation read_cancellation(ModelReader& in) {
    Cancellation cancellation;
    cancellation.canceled_by = in.required_string("canceled_by");
    cancellation.reason = in.optional_string("reason");
    cancellation.canceler_type = in.required_string("canceler_type");
    cancellation.created_at = in.optional_time("created_at");
    cancellation.raw = in.json();
    return cancellation;
}

// "cancellation" is absent (or null) until the event or invitee is canceled.
std::optional<Cancellation> read_optional_cancellation(ModelReader& in) {
    if (in.optional_object("cancellation") == nullptr) return std::nullopt;
    ModelReader cancellation_in = in.required_object("cancellation");
    return read_cancellation(cancellation_in);
}

}  // namespace

Result<Cancellation> Cancellation::parse(const nlohmann::json& object, std::string path) {
    return read_model<Cancellation>(object, std::move(path), read_cancellation);
}

Result<ScheduledEvent> ScheduledEvent::parse(const nlohmann::json& object, std::string path) {
    return read_model<ScheduledEvent>(object, std::move(path), [](ModelReader& in) {
        ScheduledEvent event;
        event.uri = in.required_string("uri");
        event.name = in.optional_string("name");
        event.status = in.required_string("status");
        event.start_time = in.required_time("start_time");
        event.end_time = in.required_time("end_time");
        event.event_type = in.required_string("event_type");
        if (const auto* location = in.optional_object("location")) {
            std::optional<Error> ignored;  // locations vary by type; take what is there
            ModelReader location_in(*location, "location", ignored);
            event.location_type = location_in.optional_string("type");
            event.location = location_in.optional_string("location");
            event.join_url = location_in.optional_string("join_url");
        }
        ModelReader counter = in.required_object("invitees_counter");
        event.invitees_total = counter.required_int("total");
        event.invitees_active = counter.required_int("active");
        event.invitees_limit = counter.required_int("limit");
        in.each_object("event_memberships", [&](ModelReader& membership_in) {
            EventMembership membership;
            membership.user = membership_in.required_string("user");
            membership.user_email = membership_in.optional_string("user_email");
            membership.user_name = membership_in.optional_string("user_name");
            event.event_memberships.push_back(std::move(membership));
        });
        event.cancellation = read_optional_cancellation(in);
        event.created_at = in.required_time("created_at");
        event.updated_at = in.required_time("updated_at");
        event.raw = in.json();
        return event;
    });
}

Result<Invitee> Invitee::parse(const nlohmann::json& object, std::string path) {
    return read_model<Invitee>(object, std::move(path), [](ModelReader& in) {
        Invitee invitee;
        invitee.uri = in.required_string("uri");
        invitee.email = in.required_string("email");
        invitee.name = in.required_string("name");
        invitee.first_name = in.optional_string("first_name");
        invitee.last_name = in.optional_string("last_name");
        invitee.status = in.required_string("status");
        invitee.timezone = in.optional_string("timezone");
        invitee.event = in.required_string("event");
        invitee.rescheduled = in.optional_bool("rescheduled").value_or(false);
        invitee.old_invitee = in.optional_string("old_invitee");
        invitee.new_invitee = in.optional_string("new_invitee");
        invitee.cancel_url = in.optional_string("cancel_url");
        invitee.reschedule_url = in.optional_string("reschedule_url");
        invitee.text_reminder_number = in.optional_string("text_reminder_number");
        in.each_object("questions_and_answers", [&](ModelReader& qa_in) {
            QuestionAndAnswer qa;
            qa.question = qa_in.required_string("question");
            qa.answer = qa_in.optional_string("answer").value_or("");
            qa.position = qa_in.optional_int("position").value_or(0);
            invitee.questions_and_answers.push_back(std::move(qa));
        });
        invitee.cancellation = read_optional_cancellation(in);
        invitee.no_show = in.optional_object("no_show") != nullptr;
        invitee.created_at = in.required_time("created_at");
        invitee.updated_at = in.required_time("updated_at");
        invitee.raw = in.json();
        return invitee;
    });
}

}  // namespace calrt::calendly

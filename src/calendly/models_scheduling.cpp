// Users, event types and what can be booked: the resources the assistant reads before a booking.

#include "calrt/calendly/models.hpp"

#include "model_reader.hpp"

namespace calrt::calendly {

using detail::ModelReader;
using detail::read_model;

Result<User> User::parse(const nlohmann::json& object, std::string path) {
    return read_model<User>(object, std::move(path), [](ModelReader& in) {
        User user;
        user.uri = in.required_string("uri");
        user.name = in.required_string("name");
        user.slug = in.required_string("slug");
        user.email = in.required_string("email");
        user.scheduling_url = in.required_string("scheduling_url");
        user.timezone = in.required_string("timezone");
        user.current_organization = in.required_string("current_organization");
        user.avatar_url = in.optional_string("avatar_url");
        user.raw = in.json();
        return user;
    });
}

Result<EventType> EventType::parse(const nlohmann::json& object, std::string path) {
    return read_model<EventType>(object, std::move(path), [](ModelReader& in) {
        EventType event_type;
        event_type.uri = in.required_string("uri");
        event_type.name = in.optional_string("name");
        event_type.active = in.required_bool("active");
        event_type.slug = in.optional_string("slug");
        event_type.scheduling_url = in.required_string("scheduling_url");
        event_type.duration = in.required_int("duration");
        event_type.kind = in.required_string("kind");
        event_type.pooling_type = in.optional_string("pooling_type");
        event_type.type = in.required_string("type");
        event_type.secret = in.required_bool("secret");
        event_type.description_plain = in.optional_string("description_plain");
        event_type.description_html = in.optional_string("description_html");
        if (const auto* profile = in.optional_object("profile")) {
            std::optional<Error> ignored;  // the profile is nullable: use what is there
            ModelReader profile_in(*profile, "profile", ignored);
            event_type.profile_owner = profile_in.optional_string("owner");
            event_type.profile_name = profile_in.optional_string("name");
            event_type.profile_type = profile_in.optional_string("type");
        }
        event_type.admin_managed = in.optional_bool("admin_managed").value_or(false);
        event_type.deleted_at = in.optional_time("deleted_at");
        in.each_object("custom_questions", [&](ModelReader& question_in) {
            CustomQuestion question;
            question.name = question_in.required_string("name");
            question.type = question_in.required_string("type");
            question.position = question_in.required_int("position");
            question.enabled = question_in.optional_bool("enabled").value_or(true);
            question.required = question_in.optional_bool("required").value_or(false);
            question.answer_choices = question_in.string_list("answer_choices");
            question.include_other = question_in.optional_bool("include_other").value_or(false);
            event_type.custom_questions.push_back(std::move(question));
        });
        // `locations` is nullable: a type without a location specification books without one.
        in.each_object("locations", [&](ModelReader& location_in) {
            EventTypeLocation location;
            location.kind = location_in.required_string("kind");
            location.location = location_in.optional_string("location");
            location.additional_info = location_in.optional_string("additional_info");
            location.phone_number = location_in.optional_string("phone_number");
            location.position = location_in.optional_int("position");
            location.raw = location_in.json();
            event_type.locations.push_back(std::move(location));
        });
        event_type.start_time_increment = in.optional_int("start_time_increment");
        event_type.before_buffer = in.optional_int("before_buffer");
        event_type.after_buffer = in.optional_int("after_buffer");
        event_type.locale = in.optional_string("locale");
        event_type.raw = in.json();
        return event_type;
    });
}

Result<Member> Member::parse(const nlohmann::json& object, std::string path) {
    return read_model<Member>(object, std::move(path), [](ModelReader& in) {
        Member member;
        member.uri = in.required_string("uri");
        member.name = in.optional_string("name").value_or("");
        member.slug = in.optional_string("slug").value_or("");
        member.email = in.optional_string("email");
        member.scheduling_url = in.optional_string("scheduling_url").value_or("");
        member.timezone = in.optional_string("timezone");
        member.avatar_url = in.optional_string("avatar_url");
        return member;
    });
}

Result<OrganizationMembership> OrganizationMembership::parse(const nlohmann::json& object,
                                                             std::string path) {
    const bool has_user = object.is_object() && object.contains("user") && object["user"].is_object();
    auto user = has_user ? Member::parse(object["user"], path + ".user") : Result<Member>(Member{});
    if (!user) return user.error();
    return read_model<OrganizationMembership>(object, std::move(path), [&user](ModelReader& in) {
        OrganizationMembership membership;
        membership.uri = in.required_string("uri");
        membership.role = in.optional_string("role").value_or("");
        membership.organization = in.optional_string("organization").value_or("");
        in.required_object("user");  // reports a missing one
        membership.user = std::move(*user);
        membership.raw = in.json();
        return membership;
    });
}

Result<EventTypeHost> EventTypeHost::parse(const nlohmann::json& object, std::string path) {
    auto member_path = path + ".member";
    const nlohmann::json* embedded = nullptr;
    if (object.is_object()) {
        if (const auto it = object.find("member"); it != object.end() && it->is_object()) {
            embedded = &*it;
        } else if (const auto user = object.find("user"); user != object.end() && user->is_object()) {
            embedded = &*user;
            member_path = path + ".user";
        }
    }
    std::optional<Member> member;
    if (embedded != nullptr) {
        auto parsed = Member::parse(*embedded, member_path);
        if (!parsed) return parsed.error();
        member = std::move(*parsed);
    }
    return read_model<EventTypeHost>(object, std::move(path), [&member](ModelReader& in) {
        EventTypeHost host;
        host.uri = in.optional_string("uri").value_or("");
        if (member) {
            host.user_uri = member->uri;
        } else {
            host.user_uri = in.required_string("user");
        }
        host.member = std::move(member);
        host.raw = in.json();
        return host;
    });
}

Result<AvailableTime> AvailableTime::parse(const nlohmann::json& object, std::string path) {
    return read_model<AvailableTime>(object, std::move(path), [](ModelReader& in) {
        AvailableTime available;
        available.status = in.required_string("status");
        available.invitees_remaining = in.required_int("invitees_remaining");
        available.start_time = in.required_time("start_time");
        available.scheduling_url = in.required_string("scheduling_url");
        available.raw = in.json();
        return available;
    });
}

Result<BusyTime> BusyTime::parse(const nlohmann::json& object, std::string path) {
    return read_model<BusyTime>(object, std::move(path), [](ModelReader& in) {
        BusyTime busy;
        busy.type = in.required_string("type");
        busy.start_time = in.required_time("start_time");
        busy.end_time = in.required_time("end_time");
        busy.buffered_start_time = in.optional_time("buffered_start_time");
        busy.buffered_end_time = in.optional_time("buffered_end_time");
        if (const auto* event = in.optional_object("event")) {
            std::optional<Error> ignored;
            busy.event_uri = ModelReader(*event, "event", ignored).optional_string("uri");
        }
        busy.raw = in.json();
        return busy;
    });
}

Result<SchedulingLink> SchedulingLink::parse(const nlohmann::json& object, std::string path) {
    return read_model<SchedulingLink>(object, std::move(path), [](ModelReader& in) {
        SchedulingLink link;
        link.booking_url = in.required_string("booking_url");
        link.owner = in.optional_string("owner");
        link.owner_type = in.optional_string("owner_type");
        link.raw = in.json();
        return link;
    });
}

}  // namespace calrt::calendly

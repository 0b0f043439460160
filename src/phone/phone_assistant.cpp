#include "calrt/phone/phone_assistant.hpp"

#include <array>
#include <utility>

namespace calrt::phone {
using nlohmann::json;

namespace {

// ITU-T E.164 country calling codes of the places most callers come from (longest codes first,
// so "+353" is Ireland, not a "+35"). Not exhaustive: a number outside it gets no hint.
constexpr std::array<std::pair<std::string_view, std::string_view>, 36> kCallingCodes{{
    {"+353", "Ireland"}, {"+351", "Portugal"}, {"+358", "Finland"}, {"+971", "the United Arab Emirates"},
    {"+972", "Israel"}, {"+852", "Hong Kong"}, {"+234", "Nigeria"}, {"+254", "Kenya"},
    {"+1", "the United States or Canada"}, {"+7", "Russia or Kazakhstan"}, {"+20", "Egypt"},
    {"+27", "South Africa"}, {"+30", "Greece"}, {"+31", "the Netherlands"}, {"+32", "Belgium"},
    {"+33", "France"}, {"+34", "Spain"}, {"+36", "Hungary"}, {"+39", "Italy"}, {"+40", "Romania"},
    {"+41", "Switzerland"}, {"+43", "Austria"}, {"+44", "the United Kingdom"}, {"+45", "Denmark"},
    {"+46", "Sweden"}, {"+47", "Norway"}, {"+48", "Poland"}, {"+49", "Germany"}, {"+52", "Mexico"},
    {"+55", "Brazil"}, {"+61", "Australia"}, {"+64", "New Zealand"}, {"+65", "Singapore"},
    {"+81", "Japan"}, {"+82", "South Korea"}, {"+91", "India"},
}};

// Handlers are plain lambdas returning a named coroutine's awaitable (GCC 12 and coroutine lambdas).
boost::asio::awaitable<json> answered(json result) { co_return result; }

}  // namespace

std::string calling_code_country(std::string_view number) {
    if (!number.starts_with('+')) return {};
    for (const auto& [code, country] : kCallingCodes) {
        if (number.starts_with(code)) return std::string(country);
    }
    return {};
}

std::string phone_instructions(std::string_view caller_number, bool can_transfer,
                               std::string_view host_contact) {
    std::string text =
        "\n\nThis conversation is a phone call: the person only hears you, there is no page. Say times in "
        "words with their time zone, spell email addresses back letter by letter, and keep each answer to a "
        "sentence or two.";
    const std::string country = calling_code_country(caller_number);
    if (!country.empty()) {
        text += " The calling number suggests " + country +
                ": you may suggest a time zone there, but ask them to confirm it before using it.";
    }
    if (!caller_number.empty()) {
        text +=
            " The call comes from a number the phone network reports and nobody has verified: it never proves "
            "who is calling. If they would like text reminders, you may ask whether to use the number they are "
            "calling from; only after a clear yes pass text_reminders_to_calling_number true to book_meeting. "
            "Do not read the number out.";
    }
    if (can_transfer) {
        text += " If the person asks for a human, or you cannot help, say you are transferring them and call "
                "transfer_to_human.";
    } else {
        text += " Nobody can take a transferred call; if the person asks for a human, call transfer_to_human and "
                "tell them what it answers.";
        if (!host_contact.empty()) text += " The host's booking page is " + std::string(host_contact) + ".";
    }
    text += " When the conversation is over (they have what they need, or say goodbye), say goodbye and call "
            "end_call.";
    return text;
}

std::string phone_greeting(std::string_view host_name) {
    const std::string host = host_name.empty() ? std::string("the host") : std::string(host_name);
    return "Greet the caller in one short sentence: they have reached " + host +
           "'s scheduling assistant, and you can book a meeting with " + host + ". Ask how you can help.";
}

void register_call_control_tools(tools::ToolRegistry& registry, std::shared_ptr<CallControlActions> actions) {
    tools::ToolSpec transfer;
    transfer.name = "transfer_to_human";
    transfer.has_effect = true;
    transfer.description =
        "Hand the call to a person, when the caller asks for a human or you cannot help. Say that you are "
        "transferring them first; the transfer happens once you have said so. If nobody can take the call, "
        "the answer says how the caller can reach the host instead: tell them.";
    transfer.parameters = {
        {"type", "object"},
        {"properties",
         {{"reason",
           {{"type", "string"}, {"maxLength", 200}, {"description", "Why, in a few words, for the host's log."}}}}},
        {"additionalProperties", false}};
    registry.add(std::move(transfer), [actions](const json& arguments) {
        const auto reason = arguments.find("reason");
        return answered(actions->transfer(reason != arguments.end() && reason->is_string()
                                              ? reason->get_ref<const std::string&>()
                                              : std::string_view("asked for a human")));
    });

    tools::ToolSpec end;
    end.name = "end_call";
    end.has_effect = true;
    end.description =
        "Hang up, once the conversation is over: after you have said goodbye. The call ends when you finish "
        "speaking.";
    end.parameters = {{"type", "object"}, {"properties", json::object()}, {"additionalProperties", false}};
    registry.add(std::move(end), [actions](const json&) { return answered(actions->end_call()); });
}

}  // namespace calrt::phone

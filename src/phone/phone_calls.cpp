#include "calrt/phone/phone_calls.hpp"

#include <algorithm>
#include <cctype>

namespace calrt::phone {
namespace {

using nlohmann::json;

Error malformed(std::string message) {
    return Error::make(ErrorKind::invalid_argument, "malformed_call_event", std::move(message));
}

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

// The URI of a name-addr or addr-spec (RFC 3261 §20.10): inside <…> when there are brackets,
// else up to the first ';' (header parameters such as ;tag=).
std::string_view uri_of(std::string_view value) {
    const std::size_t open = value.find('<');
    if (open != std::string_view::npos) {
        const std::size_t close = value.find('>', open);
        if (close == std::string_view::npos) return {};
        return value.substr(open + 1, close - open - 1);
    }
    return value.substr(0, value.find(';'));
}

}  // namespace

std::string number_in_sip_header(std::string_view value) {
    std::string_view uri = uri_of(value);
    while (!uri.empty() && uri.front() == ' ') uri.remove_prefix(1);
    std::string_view user;
    for (std::string_view scheme : {"sips:", "sip:", "tel:"}) {
        if (uri.size() >= scheme.size() && iequals(uri.substr(0, scheme.size()), scheme)) {
            user = uri.substr(scheme.size());
            break;
        }
    }
    // sip:user@host;params, tel:number;params
    user = user.substr(0, std::min(user.find('@'), user.find(';')));
    std::string number;
    for (std::size_t i = 0; i < user.size(); ++i) {
        const char c = user[i];
        if (c == '+' && i == 0) {
            number += c;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            number += c;
        } else if (c == '-' || c == '.' || c == '(' || c == ')') {
            continue;  // visual separators (RFC 3966 §5.1.1)
        } else {
            return {};
        }
    }
    const std::size_t digits = number.size() - (number.starts_with('+') ? 1 : 0);
    return digits >= 3 && digits <= 20 ? number : std::string();
}

std::string mask_phone_number(std::string_view number) {
    if (number.size() <= 6) return std::string(number.size(), '*');
    return std::string(number.substr(0, 4)) + std::string(number.size() - 6, '*') +
           std::string(number.substr(number.size() - 2));
}

Result<IncomingCall> parse_incoming_call(const json& event) {
    if (!event.is_object() || !event.contains("data") || !event["data"].is_object()) {
        return malformed("the realtime.call.incoming event has no data object");
    }
    const json& data = event["data"];
    IncomingCall call;
    if (!data.contains("call_id") || !data["call_id"].is_string() ||
        data["call_id"].get_ref<const std::string&>().empty()) {
        return malformed("the realtime.call.incoming event has no data.call_id");
    }
    call.call_id = data["call_id"].get<std::string>();
    if (event.contains("id") && event["id"].is_string())
        call.event_id = event["id"].get<std::string>();
    // sip_headers is required and a list of {name, value} (WebhookRealtimeCallIncoming).
    if (!data.contains("sip_headers") || !data["sip_headers"].is_array()) {
        return malformed("the realtime.call.incoming event has no data.sip_headers list");
    }
    for (const json& header : data["sip_headers"]) {
        if (!header.is_object() || !header.contains("name") || !header["name"].is_string() ||
            !header.contains("value") || !header["value"].is_string()) {
            return malformed("a data.sip_headers entry is not {name, value}");
        }
        // SIP header names are case-insensitive (RFC 3261 §7.3.1); "f" is From's compact form.
        const std::string& name = header["name"].get_ref<const std::string&>();
        if (call.caller_number.empty() && (iequals(name, "From") || iequals(name, "f"))) {
            call.caller_number =
                number_in_sip_header(header["value"].get_ref<const std::string&>());
        }
    }
    return call;
}

}  // namespace calrt::phone

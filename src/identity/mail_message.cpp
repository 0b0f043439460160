#include "calrt/identity/mail_message.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>
#include <ctime>

namespace calrt::identity {
namespace {

std::string base64(std::string_view data) {
    namespace b64 = boost::beast::detail::base64;
    std::string out(b64::encoded_size(data.size()), '\0');
    out.resize(b64::encode(out.data(), data.data(), data.size()));
    return out;
}

// Base64 in lines of 76 characters (RFC 2045 §6.8).
std::string base64_lines(std::string_view data) {
    const std::string encoded = base64(data);
    std::string out;
    for (std::size_t at = 0; at < encoded.size(); at += 76) {
        out.append(encoded, at, 76);
        out += "\r\n";
    }
    return out;
}

// One line, whatever it was given: CR and LF would start a header of the writer's choosing.
std::string one_line(std::string_view value) {
    std::string out(value);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return out;
}

// RFC 2047 encoded-word for a header value that is not plain ASCII.
std::string header_text(std::string_view value) {
    const std::string line = one_line(value);
    const bool ascii = std::all_of(line.begin(), line.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    return ascii ? line : "=?UTF-8?B?" + base64(line) + "?=";
}

// "Name <address>": the name may need encoding, the address may not be touched.
std::string mailbox_header(std::string_view value) {
    const std::string line = one_line(value);
    const auto open = line.rfind('<');
    if (open == std::string::npos || open == 0) return line;
    std::string name = line.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return header_text(name) + " " + line.substr(open);
}

std::string rfc5322_date(Timestamp when) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(
        std::chrono::time_point_cast<std::chrono::system_clock::duration>(when));
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return text;
}

}  // namespace

std::string mailbox_address(std::string_view from) {
    const auto open = from.rfind('<');
    if (open == std::string_view::npos) return std::string(from);
    const auto close = from.find('>', open);
    if (close == std::string_view::npos) return {};
    return std::string(from.substr(open + 1, close - open - 1));
}

std::string render_mail(const MailMessage& message, const MailEnvelope& envelope) {
    std::string out;
    out += "Date: " + rfc5322_date(envelope.date) + "\r\n";
    out += "From: " + mailbox_header(envelope.from) + "\r\n";
    out += "To: " + one_line(message.to) + "\r\n";
    out += "Subject: " + header_text(message.subject) + "\r\n";
    out += "Message-ID: " + one_line(envelope.message_id) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + envelope.boundary + "\"\r\n";
    out += "\r\n";
    const auto part = [&](std::string_view type, std::string_view body) {
        out += "--" + envelope.boundary + "\r\n";
        out += "Content-Type: " + std::string(type) + "; charset=utf-8\r\n";
        out += "Content-Transfer-Encoding: base64\r\n\r\n";
        out += base64_lines(body);
    };
    part("text/plain", message.text);
    part("text/html", message.html);
    out += "--" + envelope.boundary + "--\r\n";
    return out;
}

}  // namespace calrt::identity

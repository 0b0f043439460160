#pragma once
// An email as the bytes SMTP's DATA carries (RFC 5322 headers, a MIME multipart/alternative body
// with a plain-text and an HTML part). Pure: the sender (mail_sender.hpp) puts it on the wire.
// Header values come from configuration and from people (an address, a host's name), so line
// breaks are removed from them (no header injection) and non-ASCII is encoded (RFC 2047); both
// parts travel base64-encoded, which every server accepts whatever it says about 8BITMIME.

#include "calrt/core/time.hpp"

#include <string>
#include <string_view>

namespace calrt::identity {

struct MailMessage {
    std::string to;       // an email address
    std::string subject;  // UTF-8
    std::string text;     // UTF-8 plain text
    std::string html;     // UTF-8 HTML, already escaped by whoever wrote it
};

struct MailEnvelope {
    std::string from;      // "Name <address>" or an address
    Timestamp date;
    std::string boundary;  // random, so no part can contain it
    std::string message_id;  // "<random@domain>"
};

std::string render_mail(const MailMessage& message, const MailEnvelope& envelope);

// The bare address of "Name <address>" (or of an address alone), lowercase domain untouched;
// "" when there is none.
std::string mailbox_address(std::string_view from);

}  // namespace calrt::identity

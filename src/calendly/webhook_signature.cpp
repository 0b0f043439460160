#include "calrt/calendly/webhook_signature.hpp"

#include "calrt/core/signature_age.hpp"

#include "calrt/core/hmac.hpp"
#include "calrt/core/text.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace calrt::calendly {
namespace {

using Digest = HmacSha256Digest;

// A real header is about 80 bytes; this bounds the work an attacker can ask for.
constexpr std::size_t max_header_bytes = 4096;
// Unix seconds fit in 12 digits until the year 33658; longer is not a timestamp.
constexpr std::size_t max_timestamp_digits = 12;

// HMAC-SHA256(key, timestamp + "." + body), streamed so that the body is not copied.
std::optional<Digest> hmac_sha256(const Secret& key, std::string_view timestamp, std::string_view body) {
    return calrt::hmac_sha256(key.reveal(), {timestamp, ".", body});
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<Digest> decode_hex_digest(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    Digest out{};
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int high = hex_value(hex[2 * i]);
        const int low = hex_value(hex[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        out[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return out;
}

Error rejected(const char* code, std::string message) {
    return Error::make(ErrorKind::unauthenticated, code, std::move(message));
}

Error malformed(std::string_view problem) {
    return rejected("malformed_webhook_signature",
                    "the Calendly-Webhook-Signature header " + std::string(problem));
}

struct SignatureHeader {
    std::string_view timestamp;  // the digits as sent: they are part of the signed text
    std::vector<Digest> signatures;
};

Result<SignatureHeader> parse_header(std::string_view header) {
    if (header.size() > max_header_bytes) return malformed("is too long");
    SignatureHeader parsed;
    bool has_timestamp = false;
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view part = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        if (part.empty()) continue;
        const std::size_t equals = part.find('=');
        if (equals == std::string_view::npos) return malformed("has a part that is not key=value");
        const std::string_view key = trim(part.substr(0, equals));
        const std::string_view value = trim(part.substr(equals + 1));
        if (key == "t") {
            if (has_timestamp) return malformed("has more than one t=");
            if (value.empty() || value.size() > max_timestamp_digits ||
                value.find_first_not_of("0123456789") != std::string_view::npos) {
                return malformed("has a t= that is not a Unix time in seconds");
            }
            parsed.timestamp = value;
            has_timestamp = true;
        } else if (key == "v1") {
            auto digest = decode_hex_digest(value);
            if (!digest) return malformed("has a v1= that is not 64 hex digits");
            parsed.signatures.push_back(*digest);
        }
        // Other keys (future signature schemes) are ignored.
    }
    if (!has_timestamp) return malformed("has no t= timestamp");
    if (parsed.signatures.empty()) return malformed("has no v1= signature");
    return parsed;
}

Result<void> check_freshness(std::string_view timestamp, std::chrono::sys_seconds now,
                             std::chrono::seconds tolerance) {
    return check_signature_age(timestamp, "webhook signature timestamp", now, tolerance);
}

}  // namespace

Result<void> verify_webhook_signature(std::string_view header, std::string_view raw_body,
                                      const Secret& key, std::chrono::sys_seconds now,
                                      std::chrono::seconds tolerance) {
    if (key.empty()) {
        return Error::make(ErrorKind::not_configured, "webhook_secret_missing",
                           "no webhook signing key is configured (CALENDLY_WEBHOOK_SECRET)");
    }
    if (trim(header).empty()) {
        return rejected("missing_webhook_signature",
                        "the Calendly-Webhook-Signature header is missing");
    }
    auto parsed = parse_header(header);
    if (!parsed) return parsed.error();

    const auto expected = hmac_sha256(key, parsed->timestamp, raw_body);
    if (!expected) {
        return Error::make(ErrorKind::internal, "signature_check_failed",
                           "the webhook signature could not be computed");
    }
    // Every candidate is compared in full; CRYPTO_memcmp takes the same time for any content.
    bool matched = false;
    for (const Digest& candidate : parsed->signatures) {
        matched |= CRYPTO_memcmp(candidate.data(), expected->data(), expected->size()) == 0;
    }
    if (!matched) {
        return rejected("webhook_signature_mismatch",
                        "the webhook signature does not match the body and signing key");
    }

    return check_freshness(parsed->timestamp, now, tolerance);
}

Result<void> check_webhook_signature_header(std::string_view header, std::chrono::sys_seconds now,
                                            std::chrono::seconds tolerance) {
    if (trim(header).empty()) {
        return rejected("missing_webhook_signature",
                        "the Calendly-Webhook-Signature header is missing");
    }
    auto parsed = parse_header(header);
    if (!parsed) return parsed.error();
    return check_freshness(parsed->timestamp, now, tolerance);
}

std::string sign_webhook_payload(const Secret& key, std::chrono::sys_seconds t,
                                 std::string_view body) {
    const std::string timestamp = std::to_string(t.time_since_epoch().count());
    const auto digest = hmac_sha256(key, timestamp, body);
    if (!digest) throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
    static constexpr char hex[] = "0123456789abcdef";
    std::string header = "t=" + timestamp + ",v1=";
    for (unsigned char byte : *digest) {
        header += hex[byte >> 4];
        header += hex[byte & 0x0F];
    }
    return header;
}

}  // namespace calrt::calendly

#include "calrt/phone/webhook_signature.hpp"

#include "calrt/core/signature_age.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "calrt/core/base64.hpp"
#include "calrt/core/hmac.hpp"

namespace calrt::phone {
namespace {

using Digest = HmacSha256Digest;

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::string_view version_prefix = "v1,";
// A real signature header is 48 bytes per key; a few keys during a rotation stay far below this.
// The bound caps the work a forged request can ask for.
constexpr std::size_t max_signature_header_bytes = 4096;
constexpr std::size_t max_id_bytes = 256;
// Unix seconds fit in 12 digits until the year 33658; longer is not a timestamp.
constexpr std::size_t max_timestamp_digits = 12;

Error rejected(const char* code, std::string message) {
    return Error::make(ErrorKind::unauthenticated, code, std::move(message));
}

Error missing(std::string_view header) {
    return rejected("missing_webhook_header", "the " + std::string(header) + " header is missing");
}

Error malformed(std::string_view problem) {
    return rejected("malformed_webhook_signature", std::string(problem));
}

bool has_control_character(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

std::optional<Digest> decode_signature(std::string_view base64) {
    const auto bytes = decode_base64(base64);
    if (!bytes || bytes->size() != Digest{}.size()) return std::nullopt;
    Digest out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

// Every `v1,` entry of the header, decoded; nullopt when there is none at all.
std::optional<std::vector<Digest>> v1_signatures(std::string_view header) {
    std::vector<Digest> out;
    bool any_v1 = false;
    while (!header.empty()) {
        const std::size_t space = header.find(' ');
        const std::string_view entry = header.substr(0, space);
        header = space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
        if (!entry.starts_with(version_prefix)) continue;  // another scheme, or a doubled space
        any_v1 = true;
        if (auto digest = decode_signature(entry.substr(version_prefix.size()))) {
            out.push_back(*digest);
        }
    }
    if (!any_v1) return std::nullopt;
    return out;
}

Result<void> check_freshness(std::string_view timestamp, std::chrono::sys_seconds now,
                             std::chrono::seconds tolerance) {
    return check_signature_age(timestamp, "webhook-timestamp", now, tolerance);
}

std::optional<Digest> signature_of(const Secret& key, std::string_view id,
                                   std::string_view timestamp, std::string_view raw_body) {
    return hmac_sha256(key.reveal(), {id, ".", timestamp, ".", raw_body});
}

}  // namespace

Result<Secret> openai_webhook_key(const Secret& secret) {
    if (secret.empty()) {
        return Error::make(
            ErrorKind::not_configured, "openai_webhook_secret_missing",
            "no OpenAI webhook signing secret is configured (OPENAI_WEBHOOK_SECRET)");
    }
    const std::string& text = secret.reveal();
    if (!text.starts_with(secret_prefix)) return secret;
    auto key = decode_base64(std::string_view(text).substr(secret_prefix.size()));
    if (!key || key->empty()) {
        return Error::make(ErrorKind::not_configured, "malformed_openai_webhook_secret",
                           "OPENAI_WEBHOOK_SECRET starts with whsec_ but the rest is not base64: "
                           "copy it again from the project's webhook settings");
    }
    return Secret(std::move(*key));
}

Result<void> verify_openai_webhook(const StandardWebhookHeaders& headers, std::string_view raw_body,
                                   const Secret& secret, std::chrono::sys_seconds now,
                                   std::chrono::seconds tolerance) {
    auto key = openai_webhook_key(secret);
    if (!key) return key.error();
    if (headers.id.empty()) return missing("webhook-id");
    if (headers.timestamp.empty()) return missing("webhook-timestamp");
    if (headers.signature.empty()) return missing("webhook-signature");

    if (headers.id.size() > max_id_bytes || has_control_character(headers.id)) {
        return malformed("the webhook-id header is not an id");
    }
    if (headers.timestamp.size() > max_timestamp_digits ||
        headers.timestamp.find_first_not_of("0123456789") != std::string_view::npos) {
        return malformed("the webhook-timestamp header is not a Unix time in seconds");
    }
    if (headers.signature.size() > max_signature_header_bytes) {
        return malformed("the webhook-signature header is too long");
    }
    const auto candidates = v1_signatures(headers.signature);
    if (!candidates) return malformed("the webhook-signature header has no v1 signature");

    const auto expected = signature_of(*key, headers.id, headers.timestamp, raw_body);
    if (!expected) {
        return Error::make(ErrorKind::internal, "signature_check_failed",
                           "the webhook signature could not be computed");
    }
    // Every candidate is compared in full; CRYPTO_memcmp takes the same time for any content.
    bool matched = false;
    for (const Digest& candidate : *candidates) {
        matched |= CRYPTO_memcmp(candidate.data(), expected->data(), expected->size()) == 0;
    }
    if (!matched) {
        return rejected("webhook_signature_mismatch",
                        "the webhook signature does not match the body and signing secret");
    }
    return check_freshness(headers.timestamp, now, tolerance);
}

std::string sign_openai_webhook(const Secret& secret, std::string_view id,
                                std::string_view timestamp, std::string_view raw_body) {
    auto key = openai_webhook_key(secret);
    if (!key) return {};
    const auto digest = signature_of(*key, id, timestamp, raw_body);
    if (!digest) return {};
    return std::string(version_prefix) +
           encode_base64(
               std::string_view(reinterpret_cast<const char*>(digest->data()), digest->size()));
}

}  // namespace calrt::phone

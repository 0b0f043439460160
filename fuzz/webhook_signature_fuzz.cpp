// libFuzzer target: the Calendly-Webhook-Signature header parser and verifier. The input is split at
// the first newline into a header and a body; whatever arrives, verification must return a value
// (never crash, hang or read out of bounds), and a header signed for the body must verify.
#include "calrt/calendly/webhook_signature.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const std::string_view header = input.substr(0, newline);
    const std::string_view body = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    const calrt::Secret key("fuzz-key");
    const auto now = std::chrono::sys_seconds(std::chrono::seconds(1'700'000'000));
    (void)calrt::calendly::verify_webhook_signature(header, body, key, now, std::chrono::seconds(180));

    const std::string signed_header = calrt::calendly::sign_webhook_payload(key, now, body);
    if (!calrt::calendly::verify_webhook_signature(signed_header, body, key, now, std::chrono::seconds(180))) {
        __builtin_trap();  // a correct signature must always verify
    }
    return 0;
}

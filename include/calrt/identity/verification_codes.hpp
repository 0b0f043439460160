#pragma once
// One-time codes that prove a person owns an email address, for one conversation (issue 23): the
// assistant may tell someone about their bookings, or change them, only for an address proven in
// the conversation it is having. The service makes and checks the codes; the model only passes on
// what the person says and never sees a code. A code is kept only as a keyed hash (HMAC-SHA256 under
// a key made for this process), lives 10 minutes, allows 5 attempts and works once. Sending is
// limited per email, per client address and per conversation, so the feature cannot be used to
// flood someone's inbox. Thread-safe. Per process: a conversation lives on one replica.

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

namespace calrt::identity {

struct CodePolicy {
    std::chrono::seconds lifetime{std::chrono::minutes(10)};
    unsigned attempts = 5;
    unsigned per_email_per_hour = 3;
    unsigned per_address_per_hour = 10;
    unsigned per_conversation = 5;
    // Codes waiting to be checked, all conversations together: past it, sending answers
    // "busy" instead of growing without bound.
    std::size_t max_pending = 100'000;
};

// What came of checking a code. Only `verified` proves the address.
enum class CodeCheck {
    verified,
    wrong,           // not the code; attempts remain
    no_longer_valid, // expired, used, replaced by a newer code, or out of attempts: send a new one
    never_sent,      // no code was sent to that address in this conversation
};

class VerificationCodes {
public:
    VerificationCodes(CodePolicy policy, const Clock& clock);

    struct Issued {
        std::string code;  // six digits: for the mail only, never for the model or a log
        Timestamp expires_at;
    };
    // A new code for `email` (compared without case) in `conversation`, from a client at
    // `address` (address_bucket()). It replaces any earlier code for that address in the
    // conversation. rate_limited `verification_send_limit` (with retry_after) past a limit.
    Result<Issued> issue(std::string_view conversation, std::string_view email, std::string_view address);

    // Checks what the person said (digits; spaces and dashes between them are ignored).
    // A wrong code uses one attempt; the last wrong attempt ends the code.
    CodeCheck check(std::string_view conversation, std::string_view email, std::string_view said);

    // Whether `email` was proven in `conversation`.
    bool is_verified(std::string_view conversation, std::string_view email) const;

    // The conversation is over: its codes and proven addresses go with it.
    void end_conversation(std::string_view conversation);

    // How long a code lives.
    std::chrono::seconds lifetime() const noexcept { return policy_.lifetime; }

    // Attempts left for the code pending for `email` in `conversation`, 0 when none is.
    unsigned attempts_left(std::string_view conversation, std::string_view email) const;

private:
    struct Pending {
        std::string hash;  // keyed_hash() of the code, never the code
        Timestamp expires_at;
        unsigned attempts_left = 0;
    };
    using Key = std::pair<std::string, std::string>;  // conversation, lowercase email

    std::string keyed_hash(std::string_view conversation, std::string_view email, std::string_view code) const;
    // Sends in the last hour under `key` of `log`; forgets older ones and empty keys.
    static std::size_t recent(std::unordered_map<std::string, std::deque<Timestamp>>& log, const std::string& key,
                              Timestamp now);
    void forget_expired(Timestamp now);

    const CodePolicy policy_;
    const Clock& clock_;
    const std::string key_;  // random per process: a stored hash is useless anywhere else
    mutable std::mutex mutex_;
    std::map<Key, Pending> pending_;
    std::set<Key> verified_;
    std::unordered_map<std::string, std::deque<Timestamp>> sends_by_email_;
    std::unordered_map<std::string, std::deque<Timestamp>> sends_by_address_;
    std::unordered_map<std::string, unsigned> sends_by_conversation_;
};

}  // namespace calrt::identity

#include "calrt/identity/verification_codes.hpp"

#include "calrt/core/hmac.hpp"
#include "calrt/core/random.hpp"
#include "calrt/core/secret.hpp"
#include "calrt/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace calrt::identity {
namespace {

constexpr std::size_t kCodeDigits = 6;
constexpr auto kSendWindow = std::chrono::hours(1);

Error send_limit(std::string message, std::chrono::seconds retry_after) {
    Error error = Error::make(ErrorKind::rate_limited, "verification_send_limit", std::move(message));
    error.retry_after = std::max(retry_after, std::chrono::seconds(1));
    return error;
}

// The digits of what the person said, or "" when it is not six digits with at most spaces and
// dashes between them ("123 456", "123-456").
std::string code_digits(std::string_view said) {
    std::string digits;
    for (const char c : trim(said, kWhitespace)) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits += c;
        } else if (c != ' ' && c != '-') {
            return {};
        }
        if (digits.size() > kCodeDigits) return {};
    }
    return digits.size() == kCodeDigits ? digits : std::string{};
}

std::chrono::seconds until(Timestamp later, Timestamp now) {
    return std::chrono::ceil<std::chrono::seconds>(later - now);
}

}  // namespace

VerificationCodes::VerificationCodes(CodePolicy policy, const Clock& clock)
    : policy_(policy), clock_(clock), key_(random_hex(32)) {}

std::string VerificationCodes::keyed_hash(std::string_view conversation, std::string_view email,
                                          std::string_view code) const {
    // Bound to the conversation and the address too, so a hash means nothing for any other pair.
    const auto digest = hmac_sha256(key_, {conversation, std::string_view("\0", 1), email,
                                           std::string_view("\0", 1), code});
    if (!digest) throw std::runtime_error("OpenSSL could not compute HMAC-SHA256");
    return {reinterpret_cast<const char*>(digest->data()), digest->size()};
}

std::size_t VerificationCodes::recent(std::unordered_map<std::string, std::deque<Timestamp>>& log,
                                      const std::string& key, Timestamp now) {
    const auto found = log.find(key);
    if (found == log.end()) return 0;
    auto& times = found->second;
    while (!times.empty() && now - times.front() >= kSendWindow) times.pop_front();
    if (times.empty()) {
        log.erase(found);
        return 0;
    }
    return times.size();
}

void VerificationCodes::forget_expired(Timestamp now) {
    std::erase_if(pending_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    // The send logs forget an hour's history; keys that went quiet are dropped here so that the
    // tables hold only the last hour's senders.
    for (auto* log : {&sends_by_email_, &sends_by_address_}) {
        std::erase_if(*log, [now](const auto& entry) { return now - entry.second.back() >= kSendWindow; });
    }
}

Result<VerificationCodes::Issued> VerificationCodes::issue(std::string_view conversation, std::string_view email,
                                                           std::string_view address) {
    const Timestamp now = clock_.now();
    const std::string lowered = ascii_lowercase(email);
    const std::string client(address);
    std::lock_guard lock(mutex_);
    forget_expired(now);

    const auto sent_here = sends_by_conversation_.find(std::string(conversation));
    if (sent_here != sends_by_conversation_.end() && sent_here->second >= policy_.per_conversation) {
        Error error = send_limit("this conversation has sent " + std::to_string(policy_.per_conversation) +
                                     " codes already; start a new conversation to send another",
                                 std::chrono::seconds(0));
        error.retry_after.reset();  // waiting does not help; a new conversation does
        return error;
    }
    if (recent(sends_by_email_, lowered, now) >= policy_.per_email_per_hour) {
        return send_limit(std::to_string(policy_.per_email_per_hour) +
                              " codes were sent to this address in the last hour; use one of them or wait",
                          until(sends_by_email_[lowered].front() + kSendWindow, now));
    }
    if (!client.empty() && recent(sends_by_address_, client, now) >= policy_.per_address_per_hour) {
        return send_limit("too many codes were requested from this network in the last hour; wait and try again",
                          until(sends_by_address_[client].front() + kSendWindow, now));
    }
    Key key{std::string(conversation), lowered};
    if (!pending_.contains(key) && pending_.size() >= policy_.max_pending) {
        Error error = Error::make(ErrorKind::unavailable, "verification_busy",
                                  "too many codes are waiting to be checked; try again in a few minutes");
        error.retry_after = std::chrono::seconds(60);
        return error;
    }

    char digits[kCodeDigits + 1];
    std::snprintf(digits, sizeof digits, "%06u", static_cast<unsigned>(random_below(1'000'000)));
    Issued issued{digits, now + policy_.lifetime};
    pending_[key] = Pending{keyed_hash(key.first, key.second, issued.code), issued.expires_at, policy_.attempts};
    ++sends_by_conversation_[key.first];
    sends_by_email_[lowered].push_back(now);
    if (!client.empty()) sends_by_address_[client].push_back(now);
    return issued;
}

CodeCheck VerificationCodes::check(std::string_view conversation, std::string_view email, std::string_view said) {
    const Timestamp now = clock_.now();
    Key key{std::string(conversation), ascii_lowercase(email)};
    std::lock_guard lock(mutex_);
    const auto found = pending_.find(key);
    if (found == pending_.end()) {
        // Sent here once, now gone: expired, used or out of attempts.
        return sends_by_conversation_.contains(key.first) ? CodeCheck::no_longer_valid : CodeCheck::never_sent;
    }
    if (found->second.expires_at <= now) {
        pending_.erase(found);
        return CodeCheck::no_longer_valid;
    }
    const std::string digits = code_digits(said);
    // Compared as keyed hashes in constant time: the stored hash is all there is to compare with.
    if (!digits.empty() && constant_time_equal(keyed_hash(key.first, key.second, digits), found->second.hash)) {
        pending_.erase(found);  // single use
        verified_.insert(std::move(key));
        return CodeCheck::verified;
    }
    if (--found->second.attempts_left == 0) {
        pending_.erase(found);
        return CodeCheck::no_longer_valid;
    }
    return CodeCheck::wrong;
}

bool VerificationCodes::is_verified(std::string_view conversation, std::string_view email) const {
    const Key key{std::string(conversation), ascii_lowercase(email)};
    std::lock_guard lock(mutex_);
    return verified_.contains(key);
}

unsigned VerificationCodes::attempts_left(std::string_view conversation, std::string_view email) const {
    const Key key{std::string(conversation), ascii_lowercase(email)};
    std::lock_guard lock(mutex_);
    const auto found = pending_.find(key);
    return found == pending_.end() || found->second.expires_at <= clock_.now() ? 0 : found->second.attempts_left;
}

void VerificationCodes::end_conversation(std::string_view conversation) {
    const std::string id(conversation);
    std::lock_guard lock(mutex_);
    const auto in_conversation = [&id](const Key& key) { return key.first == id; };
    std::erase_if(pending_, [&](const auto& entry) { return in_conversation(entry.first); });
    std::erase_if(verified_, in_conversation);
    sends_by_conversation_.erase(id);
}

}  // namespace calrt::identity

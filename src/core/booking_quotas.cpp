#include "calrt/core/booking_quotas.hpp"

#include "calrt/core/text.hpp"
#include "calrt/core/utc_day.hpp"

#include <algorithm>
#include <cctype>

namespace calrt {
namespace {

std::size_t count_of(const std::map<std::string, std::size_t, std::less<>>& counts,
                     std::string_view key) {
    const auto it = counts.find(key);
    return it == counts.end() ? 0 : it->second;
}

void decrement(std::map<std::string, std::size_t, std::less<>>& counts, std::string_view key) {
    const auto it = counts.find(key);
    if (it == counts.end()) return;
    if (--it->second == 0) counts.erase(it);
}

}  // namespace

void BookingQuotas::roll_over(std::int64_t today) {
    if (today == day_) return;
    day_ = today;
    by_address_.clear();
    by_email_.clear();
}

Result<void> BookingQuotas::take(std::string_view address, std::string_view email) {
    const Timestamp now = clock_.now();
    const std::string email_key = ascii_lowercase(email);
    std::lock_guard lock(mutex_);
    roll_over(utc_day(now));
    const bool address_full =
        per_address_ > 0 && !address.empty() && count_of(by_address_, address) >= per_address_;
    const bool email_full =
        per_email_ > 0 && !email_key.empty() && count_of(by_email_, email_key) >= per_email_;
    if (address_full || email_full) {
        Error error = Error::make(
            ErrorKind::rate_limited, "booking_quota_exceeded",
            address_full
                ? "this address has made " + std::to_string(per_address_) +
                      " bookings today, as many as one address may; try again after midnight UTC"
                : "this email address has been booked " + std::to_string(per_email_) +
                      " times today, as many as one person may; try again after midnight UTC");
        error.retry_after = until_next_utc_midnight(now);
        return error;
    }
    if (per_address_ > 0 && !address.empty()) ++by_address_[std::string(address)];
    if (per_email_ > 0 && !email_key.empty()) ++by_email_[email_key];
    return {};
}

void BookingQuotas::give_back(std::string_view address, std::string_view email) {
    const Timestamp now = clock_.now();
    const std::string email_key = ascii_lowercase(email);
    std::lock_guard lock(mutex_);
    roll_over(utc_day(now));
    if (per_address_ > 0 && !address.empty()) decrement(by_address_, address);
    if (per_email_ > 0 && !email_key.empty()) decrement(by_email_, email_key);
}

}  // namespace calrt

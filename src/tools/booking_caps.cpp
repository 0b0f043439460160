#include "calrt/tools/booking_caps.hpp"

#include "calrt/core/logging.hpp"
#include "calrt/core/sha256.hpp"
#include "calrt/core/text.hpp"
#include "calrt/core/utc_day.hpp"
#include "calrt/store/webhook_store.hpp"

#include <limits>

namespace calrt::tools {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kBookingsKey = "caps:bookings";
constexpr std::string_view kLinksKey = "caps:links";

std::string address_key(std::string_view address) { return "caps:bookings:address:" + sha256_hex(address); }
std::string host_key(std::string_view host) { return "caps:bookings:host:" + sha256_hex(host); }
std::string email_key(std::string_view email) {
    return "caps:bookings:email:" + sha256_hex(ascii_lowercase(email));
}

// A per-address or per-email cap: none for an empty key, and 0 turns it off.
std::optional<std::size_t> per_key_cap(std::string_view key, std::size_t per_day) {
    if (key.empty() || per_day == 0) return std::nullopt;
    return per_day;
}

Error limit_reached(std::string_view code, std::string message, Timestamp now) {
    Error error = Error::make(ErrorKind::rate_limited, std::string(code), std::move(message));
    error.retry_after = until_next_utc_midnight(now);
    return error;
}

}  // namespace

BookingCaps::BookingCaps(BookingCapLimits limits, const Clock& clock) : limits_(limits), clock_(clock) {}

BookingCaps::BookingCaps(BookingCapLimits limits, const Clock& clock, store::WebhookStore& shared)
    : limits_(limits), clock_(clock), shared_(&shared) {}

asio::awaitable<bool> BookingCaps::take_one(std::string key, std::optional<std::size_t> cap, std::int64_t day) {
    if (!cap) co_return true;
    const std::size_t limit = *cap;
    if (limit == 0) co_return false;  // the store reads a limit of 0 as none
    if (shared_) {
        store::BudgetTake take;
        take.key = key;
        take.window = day;
        take.amount = 1;
        take.limit = static_cast<std::int64_t>(limit);
        const auto taken = co_await shared_->take_budget(std::move(take));
        if (taken) co_return taken->allowed;
        log::warn("the store could not count a daily cap; this replica counts it alone until it can",
                  {{"error", taken.error().message}});
    }
    std::lock_guard lock(local_mutex_);
    if (day != local_day_) {
        local_day_ = day;
        local_used_.clear();
    }
    auto& used = local_used_[key];
    if (used >= limit) co_return false;
    ++used;
    co_return true;
}

asio::awaitable<void> BookingCaps::give_back_one(std::string key, std::optional<std::size_t> cap,
                                                 std::int64_t day) {
    if (!cap || *cap == 0) co_return;
    if (shared_) {
        const auto given = co_await shared_->give_back_budget(key, day, 1);
        if (given) co_return;
        log::warn("the store could not give back a daily cap's unit", {{"error", given.error().message}});
    }
    std::lock_guard lock(local_mutex_);
    if (day != local_day_) co_return;  // taken on a day whose counts are gone
    const auto it = local_used_.find(key);
    if (it == local_used_.end()) co_return;
    if (--it->second == 0) local_used_.erase(it);
}

// One co_return: GCC 12 miscompiles Result<void> coroutines with several.
asio::awaitable<Result<void>> BookingCaps::take_booking(std::string_view address, std::string_view email) {
    const Timestamp now = clock_.now();
    const std::int64_t day = utc_day(now);
    const auto per_address = per_key_cap(address, limits_.bookings_per_address_per_day);
    const auto per_email = per_key_cap(email, limits_.bookings_per_email_per_day);
    const std::string by_address = per_address ? address_key(address) : std::string();
    const std::string by_email = per_email ? email_key(email) : std::string();

    Result<void> outcome{};
    if (!co_await take_one(by_address, per_address, day)) {
        outcome = limit_reached("booking_quota_exceeded",
                                "this address has made " + std::to_string(*per_address) +
                                    " bookings today, as many as one address may; try again after midnight UTC",
                                now);
    } else if (!co_await take_one(by_email, per_email, day)) {
        co_await give_back_one(by_address, per_address, day);
        outcome = limit_reached("booking_quota_exceeded",
                                "this email address has been booked " + std::to_string(*per_email) +
                                    " times today, as many as one person may; try again after midnight UTC",
                                now);
    } else if (!co_await take_one(std::string(kBookingsKey), limits_.bookings_per_day, day)) {
        co_await give_back_one(by_email, per_email, day);
        co_await give_back_one(by_address, per_address, day);
        outcome = limit_reached("daily_booking_limit_reached",
                                "the service has booked as many meetings today as it may", now);
    }
    co_return outcome;
}

asio::awaitable<void> BookingCaps::give_back_booking(std::string_view address, std::string_view email) {
    const std::int64_t day = utc_day(clock_.now());
    const auto per_address = per_key_cap(address, limits_.bookings_per_address_per_day);
    const auto per_email = per_key_cap(email, limits_.bookings_per_email_per_day);
    const std::string by_address = per_address ? address_key(address) : std::string();
    const std::string by_email = per_email ? email_key(email) : std::string();
    co_await give_back_one(std::string(kBookingsKey), limits_.bookings_per_day, day);
    co_await give_back_one(by_email, per_email, day);
    co_await give_back_one(by_address, per_address, day);
}

asio::awaitable<Result<void>> BookingCaps::take_host_bookings(const std::vector<std::string>& hosts) {
    const Timestamp now = clock_.now();
    const std::int64_t day = utc_day(now);
    const auto cap = per_key_cap("host", limits_.bookings_per_host_per_day);
    Result<void> outcome{};
    std::vector<std::string> taken;
    for (const auto& host : hosts) {
        if (co_await take_one(host_key(host), cap, day)) {
            taken.push_back(host);
            continue;
        }
        for (const auto& given : taken) co_await give_back_one(host_key(given), cap, day);
        outcome = limit_reached("host_booking_limit_reached",
                                "this host has been booked " + std::to_string(*cap) +
                                    " times today, as many as the service books for one host; try another host or "
                                    "again after midnight UTC",
                                now);
        break;
    }
    co_return outcome;
}

asio::awaitable<void> BookingCaps::give_back_host_bookings(const std::vector<std::string>& hosts) {
    const std::int64_t day = utc_day(clock_.now());
    const auto cap = per_key_cap("host", limits_.bookings_per_host_per_day);
    for (const auto& host : hosts) co_await give_back_one(host_key(host), cap, day);
}

asio::awaitable<Result<void>> BookingCaps::any_host_has_room(const std::vector<std::string>& hosts) {
    const Timestamp now = clock_.now();
    const std::int64_t day = utc_day(now);
    const auto cap = per_key_cap("host", limits_.bookings_per_host_per_day);
    Result<void> outcome{};
    bool room = !cap || hosts.empty();
    // A unit taken and given back at once: whether one is left, without holding it.
    for (std::size_t i = 0; !room && i < hosts.size(); ++i) {
        if (co_await take_one(host_key(hosts[i]), cap, day)) {
            co_await give_back_one(host_key(hosts[i]), cap, day);
            room = true;
        }
    }
    if (!room) {
        outcome = limit_reached("host_booking_limit_reached",
                                "every host of this meeting type has been booked " + std::to_string(*cap) +
                                    " times today, as many as the service books for one host; try again after "
                                    "midnight UTC",
                                now);
    }
    co_return outcome;
}

asio::awaitable<void> BookingCaps::count_host_booking(std::string_view host) {
    if (limits_.bookings_per_host_per_day == 0 || host.empty()) co_return;
    // Counted whatever the count: the booking is made. A cap no count reaches takes it always.
    co_await take_one(host_key(host), std::numeric_limits<std::int32_t>::max(), utc_day(clock_.now()));
}

asio::awaitable<Result<void>> BookingCaps::take_link() {
    const Timestamp now = clock_.now();
    Result<void> outcome{};
    if (!co_await take_one(std::string(kLinksKey), limits_.links_per_day, utc_day(now))) {
        outcome = limit_reached("daily_link_limit_reached",
                                "the service has made as many scheduling links today as it may", now);
    }
    co_return outcome;
}

asio::awaitable<void> BookingCaps::give_back_link() {
    co_await give_back_one(std::string(kLinksKey), limits_.links_per_day, utc_day(clock_.now()));
}

}  // namespace calrt::tools

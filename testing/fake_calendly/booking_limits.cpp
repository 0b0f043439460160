#include "testing/fake_calendly/booking_limits.hpp"

#include <string>

#include "testing/fake_calendly/calendly_errors.hpp"

namespace calrt::testing::fake {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr seconds kDay = hours(24);

}  // namespace

std::vector<BookingLimit> booking_limits_of(FakePlan plan) {
    switch (plan) {
        case FakePlan::trial:
            return {{kDay, 5}};
        case FakePlan::standard:
            return {{minutes(1), 10}, {hours(1), 50}, {kDay, 100}};
        case FakePlan::enterprise:
            return {{minutes(1), 500}};
        case FakePlan::free:
        case FakePlan::without_scheduling_api:
            return {};
    }
    return {};
}

std::optional<server::Response> BookingLimits::admit(FakePlan plan, TimePoint now) {
    if (plan == FakePlan::without_scheduling_api) {
        return calendly_error_response(permission_denied("Please upgrade to a paid Calendly account."));
    }
    const auto limits = booking_limits_of(plan);
    const seconds since_epoch = std::chrono::duration_cast<seconds>(now.time_since_epoch());
    const std::lock_guard lock(mutex_);
    windows_.resize(limits.size());
    for (std::size_t i = 0; i < limits.size(); ++i) {
        const std::int64_t index = since_epoch.count() / limits[i].window.count();
        if (windows_[i].index != index) windows_[i] = {index, 0};
    }
    for (std::size_t i = 0; i < limits.size(); ++i) {
        if (windows_[i].used < limits[i].requests) continue;
        const seconds window_end = limits[i].window * (windows_[i].index + 1);
        auto response = calendly_error_response(error_for_status(429));
        response.set_header("X-RateLimit-Limit", std::to_string(limits[i].requests));
        response.set_header("X-RateLimit-Remaining", "0");
        response.set_header("X-RateLimit-Reset", std::to_string((window_end - since_epoch).count()));
        return response;
    }
    for (auto& window : windows_) ++window.used;
    return std::nullopt;
}

}  // namespace calrt::testing::fake

#include "calrt/tools/host_booking_hold.hpp"

namespace calrt::tools {

boost::asio::awaitable<Result<HostBookingHold>> HostBookingHold::take(BookingCaps* caps,
                                                                     const calendly::OrganizationDirectory* directory,
                                                                     const calendly::EventType& type) {
    HostBookingHold hold;
    if (caps == nullptr || directory == nullptr || !caps->caps_hosts()) co_return hold;
    const auto known = directory->cached();
    const std::vector<std::string> hosts = known ? known->hosts_of(type.uri) : std::vector<std::string>{};
    hold.caps_ = caps;
    hold.round_robin_ = type.pooling_type == "round_robin";
    if (hold.round_robin_) {
        auto room = co_await caps->any_host_has_room(hosts);
        if (!room) co_return room.error();
        co_return hold;
    }
    auto taken = co_await caps->take_host_bookings(hosts);
    if (!taken) co_return taken.error();
    hold.taken_ = hosts;
    co_return hold;
}

boost::asio::awaitable<void> HostBookingHold::give_back() {
    if (caps_ != nullptr && !taken_.empty()) co_await caps_->give_back_host_bookings(taken_);
    taken_.clear();
}

boost::asio::awaitable<void> HostBookingHold::booked(const std::vector<std::string>& assigned_hosts) {
    if (caps_ == nullptr || !round_robin_) co_return;
    for (const auto& host : assigned_hosts) co_await caps_->count_host_booking(host);
}

}  // namespace calrt::tools

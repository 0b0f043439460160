#include "testing/fake_calendly/fake_calendly.hpp"

#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "calrt/core/config.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/server/http_server.hpp"
#include "calrt/server/router.hpp"
#include "testing/fake_calendly/api_route.hpp"
#include "testing/fake_calendly/connection_relay.hpp"
#include "testing/fake_calendly/fake_state.hpp"
#include "testing/fake_calendly/organization_seed.hpp"
#include "testing/fake_calendly/routes.hpp"

namespace calrt::testing {

struct FakeCalendly::Impl {
    Impl(boost::asio::io_context& io_context, FakeCalendlyOptions options)
        : io(io_context),
          state(std::make_shared<fake::FakeState>(std::move(options), io.get_executor())) {
        fake::add_user_routes(router, state);
        fake::add_event_type_routes(router, state);
        fake::add_organization_routes(router, state);
        fake::add_availability_routes(router, state);
        fake::add_scheduled_event_routes(router, state);
        fake::add_scheduling_routes(router, state);
        fake::add_webhook_subscription_routes(router, state);
        fake::add_booking_page_routes(router, state);
        fake::add_inspection_routes(router, state);
        // Any other GET is Calendly's 404, in Calendly's format and with its headers.
        router.fallback_get(fake::api_route(state, [](fake::FakeState&, server::Request&) {
            return fake::calendly_error_response(fake::resource_not_found());
        }));
        ServerConfig config;
        config.host = "127.0.0.1";
        config.port = 0;
        // Every client of the fake is on loopback: the per-address cap would only get in the way.
        config.limits.max_connections_per_address = config.limits.max_connections;
        server = std::make_unique<server::HttpServer>(io, config, router, metrics);
    }

    const fake::FakeState& opened() const {
        if (!state->is_open()) throw std::logic_error("FakeCalendly: call start() first");
        return *state;
    }
    const fake::ResourceUris& uris() const { return opened().resources().uris(); }
    fake::FakeState& opened_state() {
        opened();
        return *state;
    }
    // The UUID of a current member's user URI.
    std::string member_uuid(std::string_view user_uri) const {
        const auto uuid = uris().uuid_in(user_uri, "users");
        if (!uuid || !opened().store.member(*uuid)) {
            throw std::invalid_argument("FakeCalendly: not a member: " + std::string(user_uri));
        }
        return *uuid;
    }

    boost::asio::io_context& io;
    std::shared_ptr<fake::FakeState> state;
    MetricsRegistry metrics;
    server::Router router;
    std::unique_ptr<server::HttpServer> server;
    std::unique_ptr<fake::ConnectionRelay> relay;  // with options.connection_faults
};

FakeCalendly::FakeCalendly(boost::asio::io_context& io, FakeCalendlyOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(options))) {}

FakeCalendly::~FakeCalendly() = default;

void FakeCalendly::start() {
    impl_->server->start();
    if (impl_->state->options.connection_faults) {
        impl_->relay = std::make_unique<fake::ConnectionRelay>(impl_->io, impl_->server->port());
        impl_->relay->start();
    }
    impl_->state->open(base_url());
}

void FakeCalendly::stop() { impl_->server->shutdown(std::chrono::milliseconds(0), nullptr); }

std::uint16_t FakeCalendly::port() const {
    return impl_->relay ? impl_->relay->port() : impl_->server->port();
}

std::size_t FakeCalendly::max_concurrent_requests() const {
    return impl_->state->traffic.max_concurrent();
}

std::string FakeCalendly::base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }

void FakeCalendly::inject(std::string path_prefix, FaultPlan plan) {
    if (plan.action == FaultPlan::Action::drop_after_processing &&
        !impl_->state->options.connection_faults) {
        throw std::logic_error(
            "FakeCalendly: drop_after_processing needs FakeCalendlyOptions::connection_faults");
    }
    impl_->state->faults.add(std::move(path_prefix), std::move(plan));
}

void FakeCalendly::clear_faults() { impl_->state->faults.clear(); }

void FakeCalendly::subscribe_webhooks(std::string url, std::string signing_key) {
    impl_->opened();
    impl_->state->subscribe_service(std::move(url), std::move(signing_key));
}

std::size_t FakeCalendly::request_count(std::string_view path) const {
    return impl_->state->traffic.count(path);
}

std::size_t FakeCalendly::request_count() const { return impl_->state->traffic.total(); }

void FakeCalendly::reset_counts() { impl_->state->traffic.reset(); }

std::string FakeCalendly::user_uri() const {
    return impl_->uris().user(impl_->opened().seeded.host_uuid);
}

std::string FakeCalendly::organization_uri() const {
    return impl_->uris().organization(impl_->opened().store.host().organization_uuid);
}

std::string FakeCalendly::access_token() const { return impl_->state->options.access_token; }

std::vector<std::string> FakeCalendly::active_event_type_uris() const {
    std::vector<std::string> uris;
    for (const auto& uuid : impl_->opened().seeded.active_event_type_uuids)
        uris.push_back(impl_->uris().event_type(uuid));
    return uris;
}

std::string FakeCalendly::inactive_event_type_uri() const {
    return impl_->uris().event_type(impl_->opened().seeded.inactive_event_type_uuid);
}

std::string FakeCalendly::event_type_uri(std::string_view slug) const {
    // The host's own: other members have a "30min" too.
    const auto& state = impl_->opened();
    const std::string host_uuid = state.seeded.host_uuid;
    for (const auto& type : state.store.event_types()) {
        if (type.slug == slug && !type.is_team_type() && type.owner_uuid == host_uuid)
            return impl_->uris().event_type(type.uuid);
    }
    return {};
}

std::string FakeCalendly::past_event_uri() const {
    return impl_->uris().scheduled_event(impl_->opened().seeded.past_event_uuid);
}

std::string FakeCalendly::upcoming_event_uri() const {
    return impl_->uris().scheduled_event(impl_->opened().seeded.upcoming_event_uuid);
}

std::string FakeCalendly::canceled_event_uri() const {
    return impl_->uris().scheduled_event(impl_->opened().seeded.canceled_event_uuid);
}

std::string FakeCalendly::scheduling_url_of(std::string_view event_type_uri) const {
    const auto& state = impl_->opened();
    const auto uuid = impl_->uris().uuid_in(event_type_uri, "event_types");
    const auto type = uuid ? state.store.event_type(*uuid) : std::nullopt;
    return type ? state.resources().event_type_scheduling_url(*type, state.store.owner_of(*type))
                : std::string();
}

std::string FakeCalendly::add_event_type(std::string name, std::string slug, int minutes, bool secret,
                                         int invitees_limit) {
    const auto& state = impl_->opened();
    fake::EventTypeRecord type;
    // Not from the seeded id sequence: that one must give the same ids on every run.
    type.uuid = "ADDED" + std::to_string(state.store.event_types().size()) + "0000000000000000000000000000";
    type.uuid.resize(32, '0');
    type.name = std::move(name);
    type.slug = std::move(slug);
    type.duration_minutes = minutes;
    type.description = "Added by a test.";
    type.secret = secret;
    type.invitees_limit = invitees_limit;
    type.position = static_cast<int>(state.store.event_types().size());
    type.created_at = type.updated_at = impl_->state->now();
    impl_->state->store.add_event_type(type);
    return impl_->uris().event_type(type.uuid);
}

std::vector<std::string> FakeCalendly::member_uris() const {
    std::vector<std::string> uris;
    for (const auto& member : impl_->opened().store.members())
        uris.push_back(impl_->uris().user(member.user.uuid));
    return uris;
}

std::string FakeCalendly::member_uri(std::string_view slug) const {
    const auto member = impl_->opened().store.member_by_slug(slug);
    return member ? impl_->uris().user(member->user.uuid) : std::string();
}

std::string FakeCalendly::team_event_type_uri(std::string_view slug) const {
    for (const auto& type : impl_->opened().store.event_types()) {
        if (type.is_team_type() && type.slug == slug) return impl_->uris().event_type(type.uuid);
    }
    return {};
}

std::string FakeCalendly::add_member(std::string name, std::string slug, std::string role) {
    if (role != "owner" && role != "admin" && role != "user")
        throw std::invalid_argument("FakeCalendly: a role is owner, admin or user, not " + role);
    auto& state = impl_->opened_state();
    const auto now = state.now();
    auto member = fake::new_member(state.store.ids(), std::move(name), std::move(slug),
                                   "America/New_York", std::move(role), now);
    const auto meeting = fake::thirty_minute_meeting(state.store.ids(), member.user.uuid, now);
    const std::string uri = impl_->uris().user(member.user.uuid);
    state.store.add_member(std::move(member));
    state.store.add_event_type(meeting);
    state.publish_event_type_event("event_type.created", meeting);
    return uri;
}

void FakeCalendly::remove_member(std::string_view user_uri) {
    auto& state = impl_->opened_state();
    const auto removal = state.store.remove_member(impl_->member_uuid(user_uri), state.now());
    if (!removal) throw std::invalid_argument("FakeCalendly: not a member: " + std::string(user_uri));
    for (const auto& type : removal->deleted_types)
        state.publish_event_type_event("event_type.deleted", type);
    for (const auto& type : removal->updated_types)
        state.publish_event_type_event("event_type.updated", type);
}

std::string FakeCalendly::add_team_event_type(std::string name, std::string slug, int minutes,
                                              std::string pooling_type,
                                              std::vector<std::string> host_user_uris,
                                              std::string team_name) {
    if (pooling_type != "round_robin" && pooling_type != "collective") {
        throw std::invalid_argument("FakeCalendly: a team type is round_robin or collective, not " +
                                    pooling_type);
    }
    auto& state = impl_->opened_state();
    std::vector<std::string> hosts;
    for (const auto& uri : host_user_uris) hosts.push_back(impl_->member_uuid(uri));
    std::string team_uuid;
    for (const auto& type : state.store.event_types()) {
        if (type.is_team_type() && type.team_name == team_name) team_uuid = type.team_uuid;
    }
    if (team_uuid.empty()) team_uuid = state.store.ids().uuid();
    auto type = fake::team_event_type(state.store.ids(), std::move(name), std::move(slug), minutes,
                                      std::move(pooling_type), std::move(hosts),
                                      std::move(team_uuid), std::move(team_name),
                                      "Added by a test.", state.now());
    state.store.add_event_type(type);
    state.publish_event_type_event("event_type.created", type);
    return impl_->uris().event_type(type.uuid);
}

void FakeCalendly::rename_event_type(std::string_view uri, std::string name) {
    auto& state = impl_->opened_state();
    const auto uuid = impl_->uris().uuid_in(uri, "event_types");
    const auto renamed =
        uuid ? state.store.rename_event_type(*uuid, std::move(name), state.now()) : std::nullopt;
    if (!renamed) throw std::invalid_argument("FakeCalendly: no event type " + std::string(uri));
    state.publish_event_type_event("event_type.updated", *renamed);
}

std::vector<FakeBooking> FakeCalendly::bookings() const {
    return impl_->state->store.bookings(impl_->uris());
}

std::vector<FakeCancellation> FakeCalendly::cancellations() const {
    return impl_->state->store.cancellations(impl_->uris());
}

std::vector<WebhookDeliveryRecord> FakeCalendly::webhook_deliveries() const {
    return impl_->state->webhooks.records();
}

}  // namespace calrt::testing

#include "calrt/calendly/calendly_client.hpp"

#include "client_impl.hpp"

namespace calrt::calendly {

std::string_view to_string(ListTruncation truncation) {
    switch (truncation) {
        case ListTruncation::none: return "none";
        case ListTruncation::item_cap: return "item_cap";
        case ListTruncation::deadline: return "deadline";
        case ListTruncation::no_progress: return "no_progress";
    }
    return "unknown";
}

CalendlyClient::CalendlyClient(asio::any_io_executor executor, CalendlyClientOptions options,
                               MetricsRegistry& metrics, const Clock& clock)
    : impl_(std::make_shared<Impl>(executor, std::move(options), metrics, clock)) {}

CalendlyClient::~CalendlyClient() = default;

const std::string& CalendlyClient::base_url() const { return impl_->options.base_url; }

void CalendlyClient::stop() { impl_->transport.stop(); }

asio::awaitable<Result<User>> CalendlyClient::current_user() {
    co_return co_await impl_->load_user();
}

std::optional<User> CalendlyClient::cached_current_user() const {
    const std::lock_guard lock(impl_->last_user_mutex);
    return impl_->last_user;
}

asio::awaitable<Result<std::shared_ptr<const std::vector<EventType>>>> CalendlyClient::shared_event_types() {
    auto host = co_await impl_->host_uri();
    if (!host) co_return host.error();
    impl_->event_type_lookups.inc();
    co_return co_await impl_->event_type_lists.get(*host, [this, &host] { return impl_->fetch_event_types(*host); });
}

std::shared_ptr<const std::vector<EventType>> CalendlyClient::fresh_event_types() {
    std::optional<std::shared_ptr<const User>> user;
    if (impl_->options.user_uri.empty()) {
        user = impl_->users.fresh(kSharedUserKey);
        if (!user) return nullptr;
    }
    const std::string& host = user ? (*user)->uri : impl_->options.user_uri;
    auto types = impl_->event_type_lists.fresh(host);
    if (!types) return nullptr;
    // Counted only when served from here: otherwise shared_event_types() counts them.
    if (user) impl_->user_lookups.inc();
    impl_->event_type_lookups.inc();
    return std::move(*types);
}

asio::awaitable<Result<std::vector<EventType>>> CalendlyClient::event_types() {
    auto shared = co_await shared_event_types();
    if (!shared) co_return shared.error();
    co_return **shared;
}

asio::awaitable<Result<EventType>> CalendlyClient::event_type(std::string_view uuid) {
    if (!is_calendly_uuid(uuid)) co_return invalid_uuid("event type", uuid);
    co_return co_await impl_->get_resource<EventType>("/event_types/" + std::string(uuid), "GET /event_types/{uuid}");
}

asio::awaitable<Result<GatheredList<ScheduledEvent>>> CalendlyClient::scheduled_events(ScheduledEventQuery query) {
    QueryParams params;
    if (query.organization_scope) {
        auto user = co_await impl_->load_user();
        if (!user) co_return user.error();
        params.emplace_back("organization", user->current_organization);
    } else {
        auto host = co_await impl_->host_uri();
        if (!host) co_return host.error();
        params.emplace_back("user", *host);
    }
    params.emplace_back("sort", query.sort);
    if (query.status) params.emplace_back("status", *query.status);
    if (query.min_start_time) params.emplace_back("min_start_time", format_calendly_time(*query.min_start_time));
    if (query.max_start_time) params.emplace_back("max_start_time", format_calendly_time(*query.max_start_time));
    if (query.invitee_email) params.emplace_back("invitee_email", *query.invitee_email);
    co_return co_await impl_->list_all<ScheduledEvent>("/scheduled_events", std::move(params), "GET /scheduled_events");
}

asio::awaitable<Result<ScheduledEvent>> CalendlyClient::scheduled_event(std::string_view uuid) {
    if (!is_calendly_uuid(uuid)) co_return invalid_uuid("scheduled event", uuid);
    co_return co_await impl_->get_resource<ScheduledEvent>("/scheduled_events/" + std::string(uuid),
                                                           "GET /scheduled_events/{uuid}");
}

asio::awaitable<Result<std::vector<Invitee>>> CalendlyClient::event_invitees(std::string_view event_uuid) {
    if (!is_calendly_uuid(event_uuid)) co_return invalid_uuid("scheduled event", event_uuid);
    co_return co_await impl_->list_items<Invitee>("/scheduled_events/" + std::string(event_uuid) + "/invitees",
                                                QueryParams{}, "GET /scheduled_events/{uuid}/invitees");
}

asio::awaitable<Result<WebhookSubscription>> CalendlyClient::create_webhook_subscription(
    WebhookSubscriptionRequest request) {
    auto user = co_await impl_->load_user();
    if (!user) co_return user.error();
    nlohmann::json body{{"url", request.callback_url},
                        {"events", request.events},
                        {"organization", user->current_organization},
                        {"scope", request.scope}};
    if (request.scope == "user") body["user"] = user->uri;
    if (!request.signing_key.empty()) body["signing_key"] = request.signing_key.reveal();
    auto response = co_await impl_->transport.call("POST", impl_->transport.url("/webhook_subscriptions"),
                                                   std::move(body), RetrySafety::must_not_repeat,
                                                   "POST /webhook_subscriptions");
    if (!response) co_return response.error();
    co_return parse_resource<WebhookSubscription>(*response);
}

asio::awaitable<Result<std::vector<WebhookSubscription>>> CalendlyClient::webhook_subscriptions(std::string scope) {
    auto user = co_await impl_->load_user();
    if (!user) co_return user.error();
    QueryParams params{{"organization", user->current_organization}, {"scope", scope}};
    if (scope == "user") params.emplace_back("user", user->uri);
    co_return co_await impl_->list_items<WebhookSubscription>("/webhook_subscriptions", std::move(params),
                                                            "GET /webhook_subscriptions");
}

asio::awaitable<Result<void>> CalendlyClient::delete_webhook_subscription(std::string_view uuid) {
    if (!is_calendly_uuid(uuid)) co_return invalid_uuid("webhook subscription", uuid);
    auto response = co_await impl_->transport.call("DELETE",
                                                   impl_->transport.url("/webhook_subscriptions/" + std::string(uuid)),
                                                   std::nullopt, RetrySafety::idempotent,
                                                   "DELETE /webhook_subscriptions/{uuid}");
    if (!response) co_return response.error();
    co_return Result<void>{};
}

}  // namespace calrt::calendly

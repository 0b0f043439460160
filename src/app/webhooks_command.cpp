#include "webhooks_command.hpp"

#include "calendly_options.hpp"
#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/metrics.hpp"
#include "calrt/store/webhook_delivery.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>
#include <optional>

namespace calrt::app {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kUsage =
    "usage: calendly-realtime webhooks register --url URL [--events invitee.created,invitee.canceled]\n"
    "                                           [--scope user|organization]\n"
    "       calendly-realtime webhooks list [--scope user|organization]\n"
    "       calendly-realtime webhooks delete SUBSCRIPTION_URI\n"
    "--scope organization (an owner's or admin's token) covers every member's bookings, and by default\n"
    "also event_type.created/updated/deleted, on which the service reads its directory again.\n";

// --scope: "user" (the default) or "organization"; nullopt (and a message) for anything else.
std::optional<std::string> scope_option(const std::map<std::string, std::string, std::less<>>& options) {
    const auto scope = options.find("--scope");
    if (scope == options.end()) return std::string("user");
    if (scope->second == "user" || scope->second == "organization") return scope->second;
    std::cerr << "calendly-realtime: --scope is user or organization, not '" << scope->second << "'\n";
    return std::nullopt;
}

std::vector<std::string> split_events(std::string_view text) {
    std::vector<std::string> events;
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        if (!item.empty()) events.emplace_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return events;
}

void print(const calendly::WebhookSubscription& s) {
    std::cout << s.uri << "  " << s.state << "  " << s.callback_url << "  ";
    for (std::size_t i = 0; i < s.events.size(); ++i) std::cout << (i ? "," : "") << s.events[i];
    std::cout << "\n";
}

// Runs `body` to completion on a private io_context and returns its exit code.
template <class Body>
int run(Body body) {
    asio::io_context io;
    std::optional<int> code;
    asio::co_spawn(io, body(io), [&](std::exception_ptr e, int result) {
        if (e) std::rethrow_exception(e);
        code = result;
    });
    io.run();
    return code.value_or(1);
}

int fail(const Error& error) {
    std::cerr << "calendly-realtime: " << error.message << "\n";
    return 1;
}

}  // namespace

int run_webhooks_command(const Config& config, const std::vector<std::string>& words,
                         const std::map<std::string, std::string, std::less<>>& options) {
    if (words.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    if (config.calendly.api_key.empty()) {
        std::cerr << "calendly-realtime: webhooks commands act on a real Calendly account: set CALENDLY_API_KEY\n";
        return 2;
    }
    MetricsRegistry metrics;
    const SystemClock clock;
    const std::string& verb = words.front();

    if (verb == "register") {
        const auto url = options.find("--url");
        if (url == options.end() || url->second.empty()) {
            std::cerr << "calendly-realtime: webhooks register needs --url\n" << kUsage;
            return 2;
        }
        const auto scope = scope_option(options);
        if (!scope) return 2;
        calendly::WebhookSubscriptionRequest request;
        request.callback_url = url->second;
        request.scope = *scope;
        const auto events = options.find("--events");
        if (events != options.end()) {
            request.events = split_events(events->second);
        } else if (request.scope == "organization") {
            request.events = {"invitee.created", "invitee.canceled", "event_type.created", "event_type.updated",
                              "event_type.deleted"};
        } else {
            request.events = {"invitee.created", "invitee.canceled"};
        }
        for (const auto& event : request.events) {
            if (!store::is_known_webhook_event(event)) {
                std::cerr << "calendly-realtime: unknown webhook event '" << event << "'\n";
                return 2;
            }
        }
        if (config.calendly.webhook_secret.empty()) {
            std::cerr << "calendly-realtime: set CALENDLY_WEBHOOK_SECRET first: Calendly signs deliveries with it\n";
            return 2;
        }
        request.signing_key = config.calendly.webhook_secret;
        return run([&](asio::io_context& io) -> asio::awaitable<int> {
            calendly::CalendlyClient client(io.get_executor(), calendly_options(config.calendly), metrics, clock);
            auto created = co_await client.create_webhook_subscription(request);
            if (!created) co_return fail(created.error());
            print(*created);
            co_return 0;
        });
    }
    if (verb == "list") {
        const auto scope = scope_option(options);
        if (!scope) return 2;
        return run([&](asio::io_context& io) -> asio::awaitable<int> {
            calendly::CalendlyClient client(io.get_executor(), calendly_options(config.calendly), metrics, clock);
            auto list = co_await client.webhook_subscriptions(*scope);
            if (!list) co_return fail(list.error());
            for (const auto& subscription : *list) print(subscription);
            co_return 0;
        });
    }
    if (verb == "delete") {
        if (words.size() != 2) {
            std::cerr << kUsage;
            return 2;
        }
        const auto uuid = calendly::is_calendly_uuid(words[1]) ? std::optional(words[1])
                                                               : calendly::uuid_from_uri(words[1]);
        if (!uuid) {
            std::cerr << "calendly-realtime: '" << words[1] << "' is not a webhook subscription URI\n";
            return 2;
        }
        return run([&](asio::io_context& io) -> asio::awaitable<int> {
            calendly::CalendlyClient client(io.get_executor(), calendly_options(config.calendly), metrics, clock);
            auto deleted = co_await client.delete_webhook_subscription(*uuid);
            if (!deleted) co_return fail(deleted.error());
            std::cout << "deleted " << words[1] << "\n";
            co_return 0;
        });
    }
    std::cerr << "calendly-realtime: unknown webhooks command '" << verb << "'\n" << kUsage;
    return 2;
}

}  // namespace calrt::app

#include "calrt/calendly/personalized_link.hpp"
#include "calrt/calendly/offered_event_types.hpp"

#include "calrt/calendly/resource_uri.hpp"
#include "calrt/core/logging.hpp"

namespace calrt::calendly {
namespace asio = boost::asio;

namespace {

// Calendly said definitively that the thing does not exist, or the caller's input was wrong: a
// fallback link would not help.
bool is_callers_fault(const Error& error) {
    return error.kind == ErrorKind::not_found || error.kind == ErrorKind::invalid_argument;
}

}  // namespace

Result<PersonalizedLink> fallback_personalized_link(const std::string& fallback_url, const BookingPrefill& prefill,
                                                    std::optional<EventType> event_type, const Error& cause) {
    if (fallback_url.empty()) {
        return Error::make(ErrorKind::not_configured, "no_fallback_url",
                           "Calendly failed (" + cause.message +
                               ") and no CALENDLY_FALLBACK_URL is configured to fall back on");
    }
    auto url = personalize_booking_url(fallback_url, prefill);
    if (!url) return url.error();
    log::warn("booking link falls back", {{"reason", cause.code}});
    return PersonalizedLink{std::move(*url), std::move(event_type), true, cause.code};
}

asio::awaitable<Result<PersonalizedLink>> create_personalized_link(CalendlyClient& client, std::string fallback_url,
                                                                   PersonalizedLinkRequest request) {
    std::optional<std::string> wanted_uuid;
    if (request.event_type) {
        wanted_uuid = is_calendly_uuid(*request.event_type) ? std::optional(*request.event_type)
                                                            : uuid_from_uri(*request.event_type);
        if (!wanted_uuid) {
            co_return Error::make(ErrorKind::invalid_argument, "invalid_event_type",
                                  "event_type must be an event type UUID or URI, got '" + *request.event_type + "'");
        }
    }

    auto types = co_await client.event_types();
    if (!types) co_return fallback_personalized_link(fallback_url, request.prefill, std::nullopt, types.error());
    // Only what the host offers publicly: a secret type is shared by its own link, not by ours.
    std::optional<EventType> chosen;
    for (const auto& type : *types) {
        if (is_offered(type) && (!wanted_uuid || uuid_from_uri(type.uri) == wanted_uuid)) {
            chosen = type;
            break;
        }
    }
    if (!chosen) {
        if (wanted_uuid) {
            co_return Error::make(ErrorKind::not_found, "event_type_not_found",
                                  "no event type the host offers has the id '" + *wanted_uuid +
                                      "'; list them with ?action=event-types");
        }
        co_return Error::make(ErrorKind::not_found, "no_event_types", "the host offers no event types");
    }

    co_return co_await create_personalized_link(client, std::move(fallback_url), std::move(*chosen),
                                                std::move(request.prefill));
}

asio::awaitable<Result<PersonalizedLink>> create_personalized_link(CalendlyClient& client, std::string fallback_url,
                                                                   EventType chosen, BookingPrefill prefill) {
    auto link = co_await client.create_scheduling_link(chosen.uri);
    if (!link) {
        if (is_callers_fault(link.error())) co_return link.error();
        co_return fallback_personalized_link(fallback_url, prefill, std::move(chosen), link.error());
    }
    auto url = personalize_booking_url(link->booking_url, prefill);
    if (!url) co_return url.error();
    co_return PersonalizedLink{std::move(*url), std::move(chosen), false, {}};
}

}  // namespace calrt::calendly

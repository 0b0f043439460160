// The settings table: every configurable value, its name, its place in config/default.json, its
// default, its documentation and its parser. Adding a setting is adding a row here.
#include "calrt/core/base64.hpp"
#include "calrt/core/config_loader.hpp"
#include "setting_parsers.hpp"

#include <array>

namespace calrt {
namespace {

using namespace std::chrono;
namespace sp = setting_parsers;

std::string show_ms(milliseconds value) { return std::to_string(value.count()); }

// Each row's apply/show are captureless lambdas so the table stays a constant array.
const std::array kSettings{
    SettingSpec{"HOST", "/server/host", "127.0.0.1", "listen address", false, {},
                [](Config& c, std::string_view v) { return sp::host(c.server.host, v); },
                [](const Config& c) { return c.server.host; }},
    SettingSpec{"PORT", "/server/port", "3000", "listen port (0 picks a free one)", false, {},
                [](Config& c, std::string_view v) { return sp::port(c.server.port, v); },
                [](const Config& c) { return std::to_string(c.server.port); }},
    SettingSpec{"SERVER_THREADS", "/server/threads", "2", "I/O threads, each with its own event loop and share of the connections", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.server.threads, v, 1, 256); },
                [](const Config& c) { return std::to_string(c.server.threads); }},
    SettingSpec{"WEB_ROOT", "/server/web_root", "web", "folder of the chat page's static files", false, {},
                [](Config& c, std::string_view v) { return sp::non_empty(c.server.web_root, v); },
                [](const Config& c) { return c.server.web_root; }},
    SettingSpec{"SHUTDOWN_GRACE_MS", "/server/shutdown_grace_ms", "10000",
                "how long in-flight requests may finish after SIGINT/SIGTERM", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.shutdown_grace, v); },
                [](const Config& c) { return show_ms(c.server.shutdown_grace); }},
    SettingSpec{"MAX_HEADER_BYTES", "/server/limits/max_header_bytes", "8192",
                "largest request head; larger answers 431", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_header_bytes, v, 512, 1 << 20); },
                [](const Config& c) { return std::to_string(c.server.limits.max_header_bytes); }},
    SettingSpec{"MAX_BODY_BYTES", "/server/limits/max_body_bytes", "65536",
                "largest request body for most routes; larger answers 413", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_body_bytes, v, 1, 64 << 20); },
                [](const Config& c) { return std::to_string(c.server.limits.max_body_bytes); }},
    SettingSpec{"MAX_WEBHOOK_BODY_BYTES", "/server/limits/max_webhook_body_bytes", "1048576",
                "largest webhook delivery body; larger answers 413", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_webhook_body_bytes, v, 1, 64 << 20); },
                [](const Config& c) { return std::to_string(c.server.limits.max_webhook_body_bytes); }},
    SettingSpec{"HEADER_TIMEOUT_MS", "/server/limits/header_timeout_ms", "10000",
                "time from a request's first byte to the end of its head (slow clients are cut off)", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.limits.header_timeout, v); },
                [](const Config& c) { return show_ms(c.server.limits.header_timeout); }},
    SettingSpec{"BODY_TIMEOUT_MS", "/server/limits/body_timeout_ms", "30000", "time to read a request body", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.limits.body_timeout, v); },
                [](const Config& c) { return show_ms(c.server.limits.body_timeout); }},
    SettingSpec{"KEEPALIVE_TIMEOUT_MS", "/server/limits/keepalive_timeout_ms", "30000",
                "idle time allowed between requests on a kept-alive connection", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.limits.keepalive_timeout, v); },
                [](const Config& c) { return show_ms(c.server.limits.keepalive_timeout); }},
    SettingSpec{"WRITE_TIMEOUT_MS", "/server/limits/write_timeout_ms", "30000", "time to write a response", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.limits.write_timeout, v); },
                [](const Config& c) { return show_ms(c.server.limits.write_timeout); }},
    SettingSpec{"MAX_CONNECTIONS", "/server/limits/max_connections", "1024",
                "open connections at once; more are answered 503 and closed", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_connections, v, 1, 1'000'000); },
                [](const Config& c) { return std::to_string(c.server.limits.max_connections); }},
    SettingSpec{"MAX_CONNECTIONS_PER_ADDRESS", "/server/limits/max_connections_per_address", "64",
                "open connections one client address may hold (trusted proxies excepted); more are answered 429 and closed",
                false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_connections_per_address, v, 1, 1'000'000); },
                [](const Config& c) { return std::to_string(c.server.limits.max_connections_per_address); }},
    SettingSpec{"MAX_CONNECTIONS_PER_IPV6_48", "/server/limits/max_connections_per_ipv6_48", "256",
                "open connections one IPv6 /48 may hold, all its addresses together (trusted proxies excepted); "
                "more are answered 429 and closed; 0: no cap",
                false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_connections_per_ipv6_48, v, 0, 1'000'000); },
                [](const Config& c) { return std::to_string(c.server.limits.max_connections_per_ipv6_48); }},
    SettingSpec{"MAX_CONNECTIONS_PER_IPV4_24", "/server/limits/max_connections_per_ipv4_24", "0",
                "open connections one IPv4 /24 may hold, all its addresses together (trusted proxies excepted); "
                "more are answered 429 and closed; 0 (the default): no cap",
                false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_connections_per_ipv4_24, v, 0, 1'000'000); },
                [](const Config& c) { return std::to_string(c.server.limits.max_connections_per_ipv4_24); }},
    SettingSpec{"MAX_BUFFERED_BODY_BYTES", "/server/limits/max_buffered_body_bytes", "67108864",
                "request body bytes being read at once, all connections together; past it requests are answered 503",
                false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.max_buffered_body_bytes, v, 1024, std::size_t{1} << 40); },
                [](const Config& c) { return std::to_string(c.server.limits.max_buffered_body_bytes); }},
    SettingSpec{"MAX_BUFFERED_BODY_BYTES_PER_ADDRESS", "/server/limits/max_buffered_body_bytes_per_address", "0",
                "request body bytes one client address may have being read at once; past it its requests are answered 429; "
                "0: a sixteenth of MAX_BUFFERED_BODY_BYTES",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::size_in(c.server.limits.max_buffered_body_bytes_per_address, v, 0, std::size_t{1} << 40);
                },
                [](const Config& c) { return std::to_string(c.server.limits.max_buffered_body_bytes_per_address); }},
    SettingSpec{"KEEPALIVE_TIMEOUT_BUSY_MS", "/server/limits/keepalive_timeout_busy_ms", "5000",
                "idle time allowed between requests once 3/4 of MAX_CONNECTIONS are open", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.limits.busy_keepalive_timeout, v); },
                [](const Config& c) { return show_ms(c.server.limits.busy_keepalive_timeout); }},
    SettingSpec{"LINGERING_CLOSE_MS", "/server/limits/lingering_close_ms", "5000",
                "after an error that leaves input unread, how long to discard it before closing (so the answer arrives)",
                false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.server.limits.lingering_close_timeout, v); },
                [](const Config& c) { return show_ms(c.server.limits.lingering_close_timeout); }},
    SettingSpec{"LINGERING_CLOSE_BYTES", "/server/limits/lingering_close_bytes", "16777216",
                "at most this much unread input is discarded before closing after an error", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.server.limits.lingering_close_bytes, v, 0, std::size_t{1} << 32); },
                [](const Config& c) { return std::to_string(c.server.limits.lingering_close_bytes); }},
    SettingSpec{"TRUSTED_PROXIES", "/server/trusted_proxies", "",
                "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client; empty: the peer is the client",
                false, {},
                [](Config& c, std::string_view v) { return sp::ip_networks(c.server.trusted_proxies, v); },
                [](const Config& c) { return sp::show_ip_networks(c.server.trusted_proxies); }},
    SettingSpec{"PUBLIC_BASE_URL", "/deployment/public_base_url", "",
                "the URL at which Calendly, OpenAI and browsers reach this service, e.g. https://book.example.com; "
                "`doctor` looks for the webhook subscription at PUBLIC_BASE_URL/api/calendly/webhook", false, {},
                [](Config& c, std::string_view v) { return sp::optional_url(c.deployment.public_base_url, v, sp::kHttpSchemes); },
                [](const Config& c) { return c.deployment.public_base_url; }},
    SettingSpec{"OPENAI_API_BASE_URL", "/deployment/openai_api_base_url", "https://api.openai.com/v1",
                "OpenAI REST API base; `doctor` reads the Realtime model from {base}/models/{model}", false, {},
                [](Config& c, std::string_view v) { return sp::url(c.deployment.openai_api_base_url, v, sp::kHttpSchemes); },
                [](const Config& c) { return c.deployment.openai_api_base_url; }},
    SettingSpec{"OPENAI_WEBHOOK_SECRET", {}, "",
                "signing secret (whsec_…) of the OpenAI project webhook that announces phone calls; unset makes "
                "POST /api/openai/webhook answer 503",
                true, {},
                [](Config& c, std::string_view v) {
                    // The key is the base64 after whsec_ (openai-node webhook-signature.ts): a secret
                    // pasted wrong is refused at start-up rather than failing every call.
                    if (v.starts_with("whsec_") && !decode_base64(v.substr(6))) {
                        return Result<void>(Error::make(ErrorKind::invalid_argument, "invalid_setting",
                                                        "expected whsec_ followed by base64, as the OpenAI "
                                                        "dashboard shows it"));
                    }
                    return sp::secret(c.phone.webhook_secret, v);
                },
                [](const Config& c) { return std::string(c.phone.webhook_secret.redacted()); }},
    SettingSpec{"PHONE_MAX_CALLS", "/phone/max_calls", "5",
                "phone calls one replica holds at once; more are rejected with SIP 486 Busy Here (0: none)", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.phone.max_calls, v, 0, 10'000); },
                [](const Config& c) { return std::to_string(c.phone.max_calls); }},
    SettingSpec{"PHONE_HANDOFF_URI", "/phone/handoff_uri", "",
                "where a call is transferred when the caller asks for a human (tel:+… or sip:…); unset: no transfers",
                false, {},
                [](Config& c, std::string_view v) {
                    const bool tel = v.starts_with("tel:+") && v.size() > 6 &&
                                     v.find_first_not_of("0123456789-. ", 5) == std::string_view::npos;
                    const bool sip = (v.starts_with("sip:") || v.starts_with("sips:")) && v.find('@') != std::string_view::npos &&
                                     v.find_first_of(" <>\"\r\n") == std::string_view::npos;
                    if (!v.empty() && !tel && !sip) {
                        return Result<void>(Error::make(ErrorKind::invalid_argument, "invalid_setting",
                                                        "expected tel:+<number> or sip:user@host"));
                    }
                    c.phone.handoff_uri = std::string(v);
                    return Result<void>();
                },
                [](const Config& c) { return c.phone.handoff_uri; }},
    SettingSpec{"PHONE_HOURS", "/phone/hours", "",
                "when calls are taken, e.g. \"mon-fri 09:00-17:00, sat 10:00-13:00\" in PHONE_TIME_ZONE; others are "
                "declined (unset: any time)",
                false, {},
                [](Config& c, std::string_view v) {
                    c.phone.hours = std::string(v);
                    return Result<void>();
                },
                [](const Config& c) { return c.phone.hours; }},
    SettingSpec{"PHONE_TIME_ZONE", "/phone/time_zone", "UTC", "IANA time zone PHONE_HOURS is read in", false, {},
                [](Config& c, std::string_view v) { return sp::non_empty(c.phone.time_zone, v); },
                [](const Config& c) { return c.phone.time_zone; }},
    SettingSpec{"PHONE_BLOCKED_NUMBERS", "/phone/blocked_numbers", "",
                "numbers whose calls are declined: +14155550123, a beginning with * (+1900*), or anonymous",
                false, {},
                [](Config& c, std::string_view v) {
                    c.phone.blocked_numbers = std::string(v);
                    return Result<void>();
                },
                [](const Config& c) { return c.phone.blocked_numbers; }},
    SettingSpec{"PHONE_MAX_CALL_MINUTES", "/phone/max_call_minutes", "15",
                "one call's length; then the assistant says goodbye and hangs up", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.phone.max_call_minutes, v, 1, 240); },
                [](const Config& c) { return std::to_string(c.phone.max_call_minutes); }},
    // Counted in the webhook store, so every replica on one DATABASE_URL enforces one count
    // (phone/caller_limits.hpp).
    SettingSpec{"PHONE_MAX_CALLS_PER_NUMBER_PER_HOUR", "/phone/max_calls_per_number_per_hour", "5",
                "phone calls one caller's number may make per hour, counted across replicas; more are rejected "
                "(callers without a number share one count; 0: no limit)",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::unsigned_in(c.phone.max_calls_per_number_per_hour, v, 0, 100'000);
                },
                [](const Config& c) { return std::to_string(c.phone.max_calls_per_number_per_hour); }},
    SettingSpec{"PHONE_MAX_CALLS_PER_NUMBER_PER_DAY", "/phone/max_calls_per_number_per_day", "20",
                "phone calls one caller's number may make per UTC day, counted across replicas; more are rejected "
                "(0: no limit)",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::unsigned_in(c.phone.max_calls_per_number_per_day, v, 0, 1'000'000);
                },
                [](const Config& c) { return std::to_string(c.phone.max_calls_per_number_per_day); }},
    SettingSpec{"PHONE_MAX_MINUTES_PER_DAY", "/phone/max_minutes_per_day", "600",
                "minutes of phone calls per UTC day, all callers and replicas together (what a day of calls may "
                "cost the host at most); then new calls are rejected and open ones ended (0: no limit)",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::unsigned_in(c.phone.max_minutes_per_day, v, 0, 1'000'000);
                },
                [](const Config& c) { return std::to_string(c.phone.max_minutes_per_day); }},
    SettingSpec{"CALENDLY_API_KEY", {}, "", "Calendly personal access token; unset means sandbox mode", true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.calendly.api_key, v); },
                [](const Config& c) { return std::string(c.calendly.api_key.redacted()); }},
    SettingSpec{"CALENDLY_USER_URI", "/calendly/user_uri", "", "host user URI; resolved from GET /users/me when unset", false, {},
                [](Config& c, std::string_view v) { return sp::optional_url(c.calendly.user_uri, v, sp::kHttpSchemes); },
                [](const Config& c) { return c.calendly.user_uri; }},
    SettingSpec{"CALENDLY_WEBHOOK_SECRET", {}, "", "webhook signing key; unset makes the webhook route answer 503", true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.calendly.webhook_secret, v); },
                [](const Config& c) { return std::string(c.calendly.webhook_secret.redacted()); }},
    SettingSpec{"CALENDLY_FALLBACK_URL", "/calendly/fallback_url", "",
                "public booking page used when the Calendly API fails", false, "NEXT_PUBLIC_CALENDLY_URL",
                [](Config& c, std::string_view v) { return sp::optional_url(c.calendly.fallback_url, v, sp::kHttpSchemes); },
                [](const Config& c) { return c.calendly.fallback_url; }},
    SettingSpec{"CALENDLY_API_BASE_URL", "/calendly/api_base_url", "https://api.calendly.com", "Calendly API base", false, {},
                [](Config& c, std::string_view v) { return sp::url(c.calendly.api_base_url, v, sp::kHttpSchemes); },
                [](const Config& c) { return c.calendly.api_base_url; }},
    SettingSpec{"CALENDLY_CA_FILE", "/calendly/ca_file", "", "PEM file of CAs trusted besides the system store", false, {},
                [](Config& c, std::string_view v) { c.calendly.extra_ca_file = v; return Result<void>{}; },
                [](const Config& c) { return c.calendly.extra_ca_file; }},
    SettingSpec{"CALENDLY_TIMEOUT_MS", "/calendly/request_timeout_ms", "10000", "time for one Calendly request", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.calendly.request_timeout, v); },
                [](const Config& c) { return show_ms(c.calendly.request_timeout); }},
    SettingSpec{"CALENDLY_DEADLINE_MS", "/calendly/call_deadline_ms", "20000",
                "time for one Calendly call with all its retries", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.calendly.call_deadline, v); },
                [](const Config& c) { return show_ms(c.calendly.call_deadline); }},
    SettingSpec{"CALENDLY_MAX_ATTEMPTS", "/calendly/max_attempts", "4", "attempts per Calendly call (retries + 1)", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.calendly.max_attempts, v, 1, 10); },
                [](const Config& c) { return std::to_string(c.calendly.max_attempts); }},
    SettingSpec{"CALENDLY_CACHE_TTL_MS", "/calendly/cache_ttl_ms", "300000",
                "how long the host user and event types are cached", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.calendly.cache_ttl, v); },
                [](const Config& c) { return show_ms(c.calendly.cache_ttl); }},
    SettingSpec{"CALENDLY_SCOPE", "/calendly/scope", "",
                "user (one host) or organization (an admin's token: every member); empty: detected from the token",
                false, {},
                [](Config& c, std::string_view v) { return sp::one_of(c.calendly.scope, v, {"", "user", "organization"}); },
                [](const Config& c) { return c.calendly.scope; }},
    SettingSpec{"CALENDLY_DIRECTORY_REFRESH_MS", "/calendly/directory_refresh_ms", "600000",
                "how old the organization's directory may get before it is read again (organization mode)", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.calendly.directory_refresh, v); },
                [](const Config& c) { return show_ms(c.calendly.directory_refresh); }},
    SettingSpec{"SANDBOX_ORGANIZATION", "/calendly/sandbox_organization", "false",
                "sandbox mode: serve a sandbox organization (several hosts, team event types) instead of one host",
                false, {},
                [](Config& c, std::string_view v) { return sp::boolean(c.calendly.sandbox_organization, v); },
                [](const Config& c) { return std::string(c.calendly.sandbox_organization ? "true" : "false"); }},
    SettingSpec{"CALENDLY_MAX_LIST_ITEMS", "/calendly/max_list_items", "2000",
                "most items gathered across the pages of one list", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.calendly.max_list_items, v, 1, 100'000); },
                [](const Config& c) { return std::to_string(c.calendly.max_list_items); }},
    SettingSpec{"CALENDLY_LIST_DEADLINE_MS", "/calendly/list_deadline_ms", "30000",
                "time for all the pages of one list; a list cut short by it is marked truncated", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.calendly.list_deadline, v); },
                [](const Config& c) { return show_ms(c.calendly.list_deadline); }},
    SettingSpec{"CALENDLY_MAX_CONCURRENT_CALLS", "/calendly/max_concurrent_calls", "8",
                "Calendly requests in flight at once; more wait for a free slot within their deadline", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.calendly.max_concurrent_calls, v, 1, 1'000); },
                [](const Config& c) { return std::to_string(c.calendly.max_concurrent_calls); }},
    SettingSpec{"CALENDLY_RESERVED_WRITE_CALLS", "/calendly/reserved_write_calls", "2",
                "of those, slots only bookings and other writes may use; reads keep at least one", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.calendly.reserved_write_calls, v, 0, 999); },
                [](const Config& c) { return std::to_string(c.calendly.reserved_write_calls); }},
    SettingSpec{"CALENDLY_AVAILABILITY_CACHE_TTL_MS", "/calendly/availability_cache_ttl_ms", "30000",
                "how long one availability window's answer is reused; 0 turns the cache off", false, {},
                [](Config& c, std::string_view v) {
                    std::size_t ms = 0;
                    auto r = sp::size_in(ms, v, 0, 86'400'000);
                    if (r) c.calendly.availability_cache_ttl = milliseconds(ms);
                    return r;
                },
                [](const Config& c) { return show_ms(c.calendly.availability_cache_ttl); }},
    SettingSpec{"PUBLIC_RATE_LIMIT_PER_MINUTE", "/rate_limits/public_post_per_minute", "20",
                "create-link and book requests a client address may make per minute", false, {},
                [](Config& c, std::string_view v) {
                    unsigned n = 0;
                    auto r = sp::unsigned_in(n, v, 1, 1'000'000);
                    c.rate_limits.public_post_per_minute = n;
                    return r;
                },
                [](const Config& c) { return std::to_string(static_cast<unsigned>(c.rate_limits.public_post_per_minute)); }},
    SettingSpec{"PUBLIC_RATE_LIMIT_BURST", "/rate_limits/public_post_burst", "5",
                "create-link and book requests a client address may make at once", false, {},
                [](Config& c, std::string_view v) {
                    unsigned n = 0;
                    auto r = sp::unsigned_in(n, v, 1, 1'000'000);
                    c.rate_limits.public_post_burst = n;
                    return r;
                },
                [](const Config& c) { return std::to_string(static_cast<unsigned>(c.rate_limits.public_post_burst)); }},
    SettingSpec{"PUBLIC_READ_RATE_LIMIT_PER_MINUTE", "/rate_limits/public_read_per_minute", "120",
                "event-types, event-info and availability requests a client address may make per minute", false, {},
                [](Config& c, std::string_view v) {
                    unsigned n = 0;
                    auto r = sp::unsigned_in(n, v, 1, 1'000'000'000);
                    c.rate_limits.public_read_per_minute = n;
                    return r;
                },
                [](const Config& c) { return std::to_string(static_cast<unsigned>(c.rate_limits.public_read_per_minute)); }},
    SettingSpec{"PUBLIC_READ_RATE_LIMIT_BURST", "/rate_limits/public_read_burst", "30",
                "event-types, event-info and availability requests a client address may make at once", false, {},
                [](Config& c, std::string_view v) {
                    unsigned n = 0;
                    auto r = sp::unsigned_in(n, v, 1, 1'000'000'000);
                    c.rate_limits.public_read_burst = n;
                    return r;
                },
                [](const Config& c) { return std::to_string(static_cast<unsigned>(c.rate_limits.public_read_burst)); }},
    // 80, a margin below Calendly's 100 POST /invitees per user per day on paid non-Enterprise
    // plans (developer.calendly.com, "Rate limits", and release note 2026-04-15): bookings the host
    // makes elsewhere through the API count against the same cap.
    SettingSpec{"DAILY_BOOKING_LIMIT", "/rate_limits/bookings_per_day", "80",
                "meetings the service may book per UTC day (REST book and the assistant together)", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.rate_limits.bookings_per_day, v, 0, 1'000'000); },
                [](const Config& c) { return std::to_string(c.rate_limits.bookings_per_day); }},
    SettingSpec{"DAILY_BOOKINGS_PER_ADDRESS", "/rate_limits/bookings_per_address_per_day", "3",
                "meetings one client address may book per UTC day (0: no per-address cap)", false, {},
                [](Config& c, std::string_view v) {
                    return sp::size_in(c.rate_limits.bookings_per_address_per_day, v, 0, 1'000'000);
                },
                [](const Config& c) { return std::to_string(c.rate_limits.bookings_per_address_per_day); }},
    SettingSpec{"DAILY_BOOKINGS_PER_EMAIL", "/rate_limits/bookings_per_email_per_day", "3",
                "meetings booked for one invitee email per UTC day (0: no per-email cap)", false, {},
                [](Config& c, std::string_view v) {
                    return sp::size_in(c.rate_limits.bookings_per_email_per_day, v, 0, 1'000'000);
                },
                [](const Config& c) { return std::to_string(c.rate_limits.bookings_per_email_per_day); }},
    SettingSpec{"DAILY_BOOKINGS_PER_HOST", "/rate_limits/bookings_per_host_per_day", "0",
                "organization mode: meetings booked with one host per UTC day (0: no per-host cap)", false, {},
                [](Config& c, std::string_view v) {
                    return sp::size_in(c.rate_limits.bookings_per_host_per_day, v, 0, 1'000'000);
                },
                [](const Config& c) { return std::to_string(c.rate_limits.bookings_per_host_per_day); }},
    SettingSpec{"DAILY_LINK_LIMIT", "/rate_limits/links_per_day", "500",
                "single-use scheduling links the service may make per UTC day (then the fallback page is offered)", false,
                {},
                [](Config& c, std::string_view v) { return sp::size_in(c.rate_limits.links_per_day, v, 0, 1'000'000); },
                [](const Config& c) { return std::to_string(c.rate_limits.links_per_day); }},
    SettingSpec{"OPENAI_API_KEY", {}, "", "key for the upstream Realtime session; unset means the sandbox assistant", true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.openai.api_key, v); },
                [](const Config& c) { return std::string(c.openai.api_key.redacted()); }},
    SettingSpec{"OPENAI_REALTIME_URL", "/openai/realtime_url", "wss://api.openai.com/v1/realtime", "Realtime WebSocket base", false, {},
                [](Config& c, std::string_view v) { return sp::url(c.openai.realtime_url, v, sp::kWebSocketSchemes); },
                [](const Config& c) { return c.openai.realtime_url; }},
    SettingSpec{"OPENAI_REALTIME_MODEL", "/openai/model", "gpt-realtime-2.1", "Realtime model", false, {},
                [](Config& c, std::string_view v) { return sp::non_empty(c.openai.model, v); },
                [](const Config& c) { return c.openai.model; }},
    SettingSpec{"REALTIME_TURN_DETECTION", "/openai/turn_detection", "server_vad",
                "how the assistant tells the person has finished speaking: server_vad (silence), semantic_vad "
                "(what was said) or none",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::one_of(c.openai.turn_detection, v, {"server_vad", "semantic_vad", "none"});
                },
                [](const Config& c) { return c.openai.turn_detection; }},
    SettingSpec{"REALTIME_VAD_EAGERNESS", "/openai/vad_eagerness", "",
                "semantic_vad only: low, medium, high or auto (empty: auto)", false, {},
                [](Config& c, std::string_view v) {
                    return sp::one_of(c.openai.vad_eagerness, v, {"", "low", "medium", "high", "auto"});
                },
                [](const Config& c) { return c.openai.vad_eagerness; }},
    SettingSpec{"REALTIME_REASONING_EFFORT", "/openai/reasoning_effort", "",
                "minimal, low, medium, high or xhigh, for models that reason (gpt-realtime-2 and later); "
                "empty: the model's default",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::one_of(c.openai.reasoning_effort, v, {"", "minimal", "low", "medium", "high", "xhigh"});
                },
                [](const Config& c) { return c.openai.reasoning_effort; }},
    SettingSpec{"REALTIME_ALLOWED_ORIGINS", "/realtime_relay/allowed_origins", "",
                "comma-separated Origins allowed to open /api/realtime; empty: the page's own host when it is an IP address or localhost", false, {},
                [](Config& c, std::string_view v) { c.realtime_relay.allowed_origins = v; return Result<void>{}; },
                [](const Config& c) { return c.realtime_relay.allowed_origins; }},
    SettingSpec{"REALTIME_MAX_SESSIONS", "/realtime_relay/max_sessions", "20",
                "relay sessions open at once; more are answered 503", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.max_sessions, v, 1, 100'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.max_sessions); }},
    SettingSpec{"REALTIME_MAX_SESSION_MS", "/realtime_relay/max_session_duration_ms", "1800000",
                "how long one relay session may last before it is closed", false, {},
                [](Config& c, std::string_view v) { return sp::millis(c.realtime_relay.max_session_duration, v); },
                [](const Config& c) { return show_ms(c.realtime_relay.max_session_duration); }},
    SettingSpec{"REALTIME_MAX_MESSAGE_BYTES", "/realtime_relay/max_message_bytes", "1048576",
                "largest browser WebSocket message; larger closes the session with 1009", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.max_message_bytes, v, 1024, 64 << 20); },
                [](const Config& c) { return std::to_string(c.realtime_relay.max_message_bytes); }},
    SettingSpec{"REALTIME_CONNECTIONS_PER_MINUTE", "/realtime_relay/connections_per_minute", "10",
                "relay connections a client address may open per minute; more are answered 429", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.realtime_relay.connections_per_minute, v, 1, 1'000'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.connections_per_minute); }},
    SettingSpec{"REALTIME_MAX_SESSIONS_PER_ADDRESS", "/realtime_relay/max_sessions_per_address", "3",
                "relay sessions one client address may have open at once; more are answered 429", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.max_sessions_per_address, v, 1, 100'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.max_sessions_per_address); }},
    SettingSpec{"REALTIME_MAX_SESSIONS_PER_IPV6_48", "/realtime_relay/max_sessions_per_ipv6_48", "6",
                "relay sessions one IPv6 /48 may have open at once, all its addresses together; more are answered 429 (0: no cap)",
                false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.max_sessions_per_ipv6_48, v, 0, 100'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.max_sessions_per_ipv6_48); }},
    SettingSpec{"REALTIME_MAX_SESSIONS_PER_IPV4_24", "/realtime_relay/max_sessions_per_ipv4_24", "0",
                "relay sessions one IPv4 /24 may have open at once, all its addresses together; more are answered 429 (0: no cap)",
                false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.max_sessions_per_ipv4_24, v, 0, 100'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.max_sessions_per_ipv4_24); }},
    SettingSpec{"REALTIME_DAILY_MINUTES_PER_ADDRESS", "/realtime_relay/daily_minutes_per_address", "60",
                "minutes of relay sessions one client address may use per UTC day; then new sessions are answered 429 and "
                "open ones are closed with 1008 (0: no cap)",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::unsigned_in(c.realtime_relay.daily_minutes_per_address, v, 0, 1'000'000);
                },
                [](const Config& c) { return std::to_string(c.realtime_relay.daily_minutes_per_address); }},
    SettingSpec{"REALTIME_RESPONSES_PER_MINUTE", "/realtime_relay/responses_per_minute", "20",
                "per relay session: browser response.create, and user messages, each this many a minute; more close the session with 1008", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.realtime_relay.responses_per_minute, v, 1, 100'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.responses_per_minute); }},
    SettingSpec{"REALTIME_RESPONSE_BURST", "/realtime_relay/response_burst", "5",
                "how many of REALTIME_RESPONSES_PER_MINUTE's events may come at once", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.realtime_relay.response_burst, v, 1, 100'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.response_burst); }},
    SettingSpec{"REALTIME_SESSION_MAX_MESSAGES", "/realtime_relay/session_max_messages", "30000",
                "browser messages one relay session may send in all; more close it with 1008", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.session_max_messages, v, 1, 100'000'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.session_max_messages); }},
    SettingSpec{"REALTIME_SESSION_MAX_AUDIO_SECONDS", "/realtime_relay/session_max_audio_seconds", "900",
                "seconds of audio one relay session may send up in all; more close it with 1008", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.realtime_relay.session_max_audio_seconds, v, 1, 1'000'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.session_max_audio_seconds); }},
    SettingSpec{"REALTIME_SESSION_MAX_RESPONSES", "/realtime_relay/session_max_responses", "100",
                "responses one relay session may have in all (the browser's response.create and those the server creates on its own); more close it with 1008", false, {},
                [](Config& c, std::string_view v) { return sp::size_in(c.realtime_relay.session_max_responses, v, 1, 1'000'000); },
                [](const Config& c) { return std::to_string(c.realtime_relay.session_max_responses); }},
    SettingSpec{"API_ADMIN_TOKEN", {}, "", "Bearer token for admin actions; unset makes them answer 503", true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.admin_token, v); },
                [](const Config& c) { return std::string(c.admin_token.redacted()); }},
    SettingSpec{"METRICS_ALLOW", "/metrics/allow", "127.0.0.0/8,::1",
                "comma-separated CIDRs of clients (after TRUSTED_PROXIES) that may read GET /metrics; others get 403, "
                "or 401 when METRICS_TOKEN is set; empty: only METRICS_TOKEN opens it",
                false, {},
                [](Config& c, std::string_view v) { return sp::ip_networks(c.metrics_access.allow, v); },
                [](const Config& c) { return sp::show_ip_networks(c.metrics_access.allow); }},
    SettingSpec{"SELF_SERVICE", "/self_service/enabled", "true",
                "let invitees find, cancel and reschedule their own bookings after proving their email with a code",
                false, {},
                [](Config& c, std::string_view v) { return sp::boolean(c.self_service.enabled, v); },
                [](const Config& c) { return std::string(c.self_service.enabled ? "true" : "false"); }},
    SettingSpec{"SELF_SERVICE_MIN_NOTICE_HOURS", "/self_service/min_notice_hours", "2",
                "no cancellation or move by an invitee closer than this to the meeting's start", false, {},
                [](Config& c, std::string_view v) { return sp::unsigned_in(c.self_service.min_notice_hours, v, 0, 24 * 365); },
                [](const Config& c) { return std::to_string(c.self_service.min_notice_hours); }},
    SettingSpec{"BOOKING_REQUIRES_VERIFIED_EMAIL", "/self_service/booking_requires_verified_email", "false",
                "book_meeting books only for an email proven with a code in the conversation, and REST book "
                "needs the admin token (needs SELF_SERVICE)",
                false, {},
                [](Config& c, std::string_view v) { return sp::boolean(c.self_service.booking_requires_verified_email, v); },
                [](const Config& c) { return std::string(c.self_service.booking_requires_verified_email ? "true" : "false"); }},
    SettingSpec{"SMTP_URL", {}, "", "smtp://host[:port] (STARTTLS required) or smtps://host[:port] for the one-time codes' mail",
                true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.self_service.smtp_url, v); },
                [](const Config& c) { return std::string(c.self_service.smtp_url.redacted()); }},
    SettingSpec{"SMTP_FROM", "/self_service/smtp_from", "", "the sender of the one-time codes' mail: \"Name <address>\" or an address",
                false, {},
                [](Config& c, std::string_view v) { c.self_service.smtp_from = v; return Result<void>{}; },
                [](const Config& c) { return c.self_service.smtp_from; }},
    SettingSpec{"SMTP_USERNAME", {}, "", "SMTP login", true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.self_service.smtp_username, v); },
                [](const Config& c) { return std::string(c.self_service.smtp_username.redacted()); }},
    SettingSpec{"SMTP_PASSWORD", {}, "", "SMTP password", true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.self_service.smtp_password, v); },
                [](const Config& c) { return std::string(c.self_service.smtp_password.redacted()); }},
    SettingSpec{"SMTP_CA_FILE", "/self_service/smtp_ca_file", "", "PEM file of CAs trusted besides the system store, for SMTP",
                false, {},
                [](Config& c, std::string_view v) { c.self_service.smtp_ca_file = v; return Result<void>{}; },
                [](const Config& c) { return c.self_service.smtp_ca_file; }},
    SettingSpec{"SELF_SERVICE_AUDIT_RETENTION_DAYS", "/self_service/audit_retention_days", "365",
                "days the self-service audit log keeps each change (who proved the email, what changed); "
                "0 keeps them forever",
                false, {},
                [](Config& c, std::string_view v) {
                    return sp::unsigned_in(c.self_service.audit_retention_days, v, 0, 100 * 365);
                },
                [](const Config& c) { return std::to_string(c.self_service.audit_retention_days); }},
    SettingSpec{"METRICS_TOKEN", {}, "", "Bearer token that opens GET /metrics from any address; unset: METRICS_ALLOW only",
                true, {},
                [](Config& c, std::string_view v) { return sp::secret(c.metrics_access.token, v); },
                [](const Config& c) { return std::string(c.metrics_access.token.redacted()); }},
    SettingSpec{"DATA_DIR", "/store/data_dir", "./data", "where the SQLite store lives", false, {},
                [](Config& c, std::string_view v) { return sp::non_empty(c.data_dir, v); },
                [](const Config& c) { return c.data_dir; }},
    SettingSpec{"DATABASE_URL", {}, "",
                "postgres://user:password@host:port/database: the webhook store on PostgreSQL, shared by "
                "replicas; unset keeps SQLite in DATA_DIR",
                true, {},
                [](Config& c, std::string_view v) { return sp::database_url(c.database_url, v); },
                [](const Config& c) { return std::string(c.database_url.redacted()); }, true},
    SettingSpec{"LOG_LEVEL", "/log/level", "info", "trace, debug, info, warn, error, critical or off", false, {},
                [](Config& c, std::string_view v) {
                    return sp::one_of(c.log.level, v, {"trace", "debug", "info", "warn", "error", "critical", "off"});
                },
                [](const Config& c) { return c.log.level; }},
    SettingSpec{"LOG_FORMAT", "/log/format", "text", "text or json (one JSON object per line)", false, {},
                [](Config& c, std::string_view v) { return sp::one_of(c.log.format, v, {"text", "json"}); },
                [](const Config& c) { return c.log.format; }},
};

}  // namespace

std::span<const SettingSpec> setting_specs() { return kSettings; }

}  // namespace calrt

#pragma once
// The service's configuration as typed values, one section per component (userver style). Built by
// load_config() from layered sources; see config_loader.hpp and DESIGN.md "Configuration".

#include "calrt/core/ip_network.hpp"
#include "calrt/core/secret.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace calrt {

struct HttpLimits {
    std::size_t max_header_bytes = 8 * 1024;           // larger request heads answer 431
    std::size_t max_body_bytes = 64 * 1024;            // default per-route body limit (413)
    std::size_t max_webhook_body_bytes = 1024 * 1024;  // /api/calendly/webhook
    std::chrono::milliseconds header_timeout{10'000};  // first byte to end of head (slow loris)
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds keepalive_timeout{30'000};  // idle time between requests
    std::chrono::milliseconds write_timeout{30'000};
    std::size_t max_connections = 1024;
    // One client address may hold at most this many connections (trusted proxies excepted): one
    // host cannot take every slot (429 too_many_connections).
    std::size_t max_connections_per_address = 64;
    // The looser second tier (review item N2): one IPv6 /48 (a site's allocation, hundreds of /64
    // addresses) may hold a quarter of max_connections; one IPv4 /24 likewise when set, off by
    // default because one /24 is often many unrelated people (0: no cap).
    std::size_t max_connections_per_ipv6_48 = 256;
    std::size_t max_connections_per_ipv4_24 = 0;
    // Request bodies being read at once, all connections together (503 server_busy past it): slow
    // bodies cannot hold the server's memory. Charged as bytes arrive (server/request_body.hpp).
    std::size_t max_buffered_body_bytes = 64 * 1024 * 1024;
    // The bodies of one client address at once (429 too_many_request_bodies past it), so one
    // address cannot hold the budget every other client needs (review item N1). 0: a sixteenth of
    // max_buffered_body_bytes.
    std::size_t max_buffered_body_bytes_per_address = 0;
    // Idle time between requests once the server holds 3/4 of max_connections.
    std::chrono::milliseconds busy_keepalive_timeout{5'000};
    // After an error that leaves client input unread: how long, and how much, to read and discard
    // before closing, so the client receives the answer instead of a reset.
    std::chrono::milliseconds lingering_close_timeout{5'000};
    std::size_t lingering_close_bytes = 16 * 1024 * 1024;
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 3000;
    unsigned threads = 2;
    std::string web_root = "web";
    std::chrono::milliseconds shutdown_grace{10'000};
    HttpLimits limits;
    // Peers whose X-Forwarded-For names the client (TRUSTED_PROXIES); empty: the peer is the client.
    std::vector<IpNetwork> trusted_proxies;
};

struct CalendlyConfig {
    Secret api_key;
    std::string user_uri;
    Secret webhook_secret;
    std::string fallback_url;
    std::string api_base_url = "https://api.calendly.com";
    std::string extra_ca_file;  // PEM trusted in addition to the system store
    std::chrono::milliseconds request_timeout{10'000};  // one attempt
    std::chrono::milliseconds call_deadline{20'000};    // all attempts of one call
    unsigned max_attempts = 4;
    std::chrono::milliseconds cache_ttl{300'000};  // host user and event types
    std::size_t max_list_items = 2'000;
    std::chrono::milliseconds list_deadline{30'000};  // all pages of one list
    std::size_t max_concurrent_calls = 8;             // requests in flight to Calendly at once
    std::size_t reserved_write_calls = 2;             // of those, never taken by reads (review N3)
    std::chrono::milliseconds availability_cache_ttl{30'000};  // 0: no availability cache
    // "user" (the token's user is the one host), "organization" (an admin's token: every member),
    // or empty: organization when the token is an owner's or admin's of an organization with
    // more than one member, else user.
    std::string scope;
    std::chrono::milliseconds directory_refresh{600'000};  // the organization's directory
    // Sandbox mode only: the fake Calendly serves an organization (several hosts, a round robin
    // and a collective type) instead of one host. `make run` sets it.
    bool sandbox_organization = false;
};

struct RateLimitConfig {
    double public_post_per_minute = 20;  // create-link and book, per client address
    double public_post_burst = 5;
    double public_read_per_minute = 120;  // event-types, event-info, availability, per client address
    double public_read_burst = 30;
    // Bookings made through the service, all clients, per UTC day: a margin below Calendly's
    // 100 POST /invitees per user per day (paid plans).
    std::size_t bookings_per_day = 80;
    std::size_t bookings_per_address_per_day = 3;  // per client address (0: no cap)
    std::size_t bookings_per_email_per_day = 3;    // per invitee email (0: no cap)
    std::size_t bookings_per_host_per_day = 0;     // per host, organization mode (0: no cap)
    std::size_t links_per_day = 500;     // scheduling links, likewise
};

struct OpenAiConfig {
    Secret api_key;
    std::string realtime_url = "wss://api.openai.com/v1/realtime";
    // gpt-realtime is reported to shut down on 2027-01-20; openai-agents-js defaults to 2.1 since
    // July 2026 (DEFAULT_OPENAI_REALTIME_MODEL).
    std::string model = "gpt-realtime-2.1";
    std::string turn_detection = "server_vad";  // server_vad, semantic_vad or none
    std::string vad_eagerness;                  // semantic_vad: low, medium, high, auto; empty: auto
    std::string reasoning_effort;               // minimal .. xhigh; empty: the model's default
};

// The browser WebSocket relay GET /api/realtime (issue 5).
struct RealtimeRelayConfig {
    // Comma-separated Origins allowed to open the relay; empty: the page's own host when that is
    // an IP address or localhost (the Origin matches the Host header, or is
    // http://localhost:PORT / http://127.0.0.1:PORT). Pages under a domain name must be listed.
    std::string allowed_origins;
    std::size_t max_sessions = 20;                          // open relay sessions at once (503)
    std::chrono::milliseconds max_session_duration{1'800'000};  // then closed with a reason
    std::size_t max_message_bytes = 1024 * 1024;            // one browser message (close 1009)
    unsigned connections_per_minute = 10;                   // per client address (429)
    std::size_t max_sessions_per_address = 3;  // open at once per client address (429)
    // Open at once per wider network (review N2), a looser second tier over the per-address cap:
    // an IPv6 /48 holds 65,536 /64 "addresses", so without it one site could take every session.
    // 6 of the 20 leaves room for two other such networks and for everyone else; 0 turns it off.
    std::size_t max_sessions_per_ipv6_48 = 6;
    // The same per IPv4 /24; off (0) by default, since one /24 is often many unrelated people
    // (a university, a mobile carrier's NAT pool).
    std::size_t max_sessions_per_ipv4_24 = 0;
    // Relay session wall-clock minutes one client address may use per UTC day (review N7): the
    // host pays OpenAI for every minute, and without it one address could keep sessions open all
    // day. 0 turns it off.
    unsigned daily_minutes_per_address = 60;
    // Per session, each closing it with 1008 and a reason when exceeded (relay_budget.hpp): the
    // rate of browser response.create and of user conversation items (each its own bucket of
    // `response_burst`), and what one session may use in all.
    unsigned responses_per_minute = 20;
    unsigned response_burst = 5;
    std::size_t session_max_messages = 30'000;   // every browser message (audio is ~10 a second)
    unsigned session_max_audio_seconds = 900;    // PCM16 24 kHz mono sent up
    // Responses in one session: the browser's response.create and those the server creates by
    // itself (voice activity, the answer after a tool call).
    std::size_t session_max_responses = 100;
};

// Where this deployment is reached from outside, and where OpenAI's REST API is (issue 19):
// `calendly-realtime doctor` looks for the webhook subscription at
// public_base_url + "/api/calendly/webhook" and asks openai_api_base_url + "/models/{model}" about
// the Realtime model.
struct DeploymentConfig {
    std::string public_base_url;  // PUBLIC_BASE_URL; empty: not known
    std::string openai_api_base_url = "https://api.openai.com/v1";  // OPENAI_API_BASE_URL
};

// Who may read GET /metrics (review item N13): it shows business volume and live feedback on an
// attack, so only clients whose address (after TRUSTED_PROXIES) is in `allow` (METRICS_ALLOW), or
// requests with `Authorization: Bearer <token>` (METRICS_TOKEN).
struct MetricsAccess {
    std::vector<IpNetwork> allow = loopback_networks();
    Secret token{};  // empty: no token opens it
};

// Invitees find, cancel and reschedule their own bookings after proving their email with a
// one-time code (issue 23). Mail goes out over SMTP; without SMTP_URL (and outside sandbox mode,
// where codes appear on the page) the assistant says self-service is unavailable.
struct SelfServiceConfig {
    bool enabled = true;                // SELF_SERVICE: false takes the tools away altogether
    unsigned min_notice_hours = 2;      // SELF_SERVICE_MIN_NOTICE_HOURS: no change closer to the start
    Secret smtp_url{};                  // SMTP_URL: smtp://host[:port] (STARTTLS) or smtps://; may carry credentials
    std::string smtp_from{};            // SMTP_FROM: "Name <address>" or an address
    Secret smtp_username{};             // SMTP_USERNAME
    Secret smtp_password{};             // SMTP_PASSWORD
    std::string smtp_ca_file{};         // SMTP_CA_FILE: PEM of CAs trusted besides the system store
    // BOOKING_REQUIRES_VERIFIED_EMAIL: book_meeting books only for an email proven in the
    // conversation, and the public REST `book` needs the admin token. Needs SELF_SERVICE.
    bool booking_requires_verified_email = false;
    unsigned audit_retention_days = 365;  // SELF_SERVICE_AUDIT_RETENTION_DAYS: 0 keeps changes forever
};

// Phone calls through OpenAI's SIP interface (issue 24; docs/operations.md, docs/phone-protocol.md): OpenAI's
// project webhook POSTs realtime.call.incoming to /api/openai/webhook, the service accepts the call.
struct PhoneConfig {
    // OPENAI_WEBHOOK_SECRET: the project webhook's signing secret ("whsec_" and base64); empty:
    // POST /api/openai/webhook answers 503 and no call is taken.
    Secret webhook_secret{};
    // PHONE_MAX_CALLS: calls one replica holds at once; an incoming call past it is rejected with
    // SIP 486 Busy Here. Each is a Realtime session billed by the minute.
    std::size_t max_calls = 5;
    // PHONE_HANDOFF_URI: where a call is transferred (SIP REFER) when the caller asks for a human
    // or the assistant fails twice in a row: "tel:+14155550123" or "sip:desk@pbx.example.com".
    // Empty: no transfers; the assistant tells the caller how to reach the host.
    std::string handoff_uri{};
    // PHONE_HOURS ("mon-fri 09:00-17:00, sat 10:00-13:00", phone/call_admission.hpp) in
    // PHONE_TIME_ZONE: calls outside them are declined (SIP 603). Empty: any time.
    std::string hours{};
    std::string time_zone = "UTC";
    // PHONE_BLOCKED_NUMBERS: "+14155550123, +1900*, anonymous"; declined (SIP 603).
    std::string blocked_numbers{};
    // PHONE_MAX_CALL_MINUTES: one call's length; then the assistant says goodbye and hangs up.
    unsigned max_call_minutes = 15;
    // Across replicas (counted in the webhook store; phone/caller_limits.hpp), each 0 for no limit.
    // PHONE_MAX_CALLS_PER_NUMBER_PER_HOUR / _PER_DAY: calls one caller's number may make (callers
    // without a number share one count); more are rejected.
    unsigned max_calls_per_number_per_hour = 5;
    unsigned max_calls_per_number_per_day = 20;
    // PHONE_MAX_MINUTES_PER_DAY: minutes of calls per UTC day, all callers together: what a day of
    // calls may cost the host at most. Then new calls are rejected and open ones end.
    unsigned max_minutes_per_day = 600;
};

struct LogConfig {
    std::string level = "info";  // trace, debug, info, warn, error, critical, off
    std::string format = "text";  // text or json
};

struct Config {
    ServerConfig server;
    CalendlyConfig calendly;
    OpenAiConfig openai;
    RealtimeRelayConfig realtime_relay;
    Secret admin_token;
    MetricsAccess metrics_access;
    RateLimitConfig rate_limits;
    std::string data_dir = "./data";
    Secret database_url;  // DATABASE_URL: the webhook store on PostgreSQL; unset: SQLite in data_dir
    LogConfig log;
    DeploymentConfig deployment;
    SelfServiceConfig self_service;
    PhoneConfig phone;
    bool sandbox_requested = false;  // --sandbox

    // Sandbox data is served when asked for, or when there is no Calendly credential to use.
    bool calendly_sandbox() const noexcept { return sandbox_requested || calendly.api_key.empty(); }
    bool realtime_sandbox() const noexcept { return sandbox_requested || openai.api_key.empty(); }
};

}  // namespace calrt

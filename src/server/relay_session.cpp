#include "relay_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <type_traits>
#include <variant>

#include "calrt/core/logging.hpp"
#include "calrt/core/random.hpp"
#include "calrt/realtime/assistant_instructions.hpp"
#include "calrt/server/booking_confirmation.hpp"
#include "calrt/server/relay_policy.hpp"
#include "calrt/server/tool_result_event.hpp"
#include "calrt/identity/code_mail.hpp"

namespace calrt::server {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

// At shutdown (SHUTDOWN_GRACE_MS, 10 s by default, covers both): how long a browser may take to
// answer the 1001 close frame, and how long a tool still running may take to finish.
constexpr std::chrono::seconds kShutdownCloseLimit{2};
constexpr std::chrono::seconds kShutdownToolLimit{5};

// How often an open session charges its time to its address's daily minutes: the address may
// overrun its minutes by at most this much per open session.
constexpr std::chrono::seconds kDailyMinutesTick{1};

constexpr BudgetBreach kDailyMinutesUsedUp{
    "daily_minutes", "this address has used today's assistant minutes; try again after midnight UTC"};

std::string serialized(const json& event) {
    return event.dump(-1, ' ', false, json::error_handler_t::replace);
}

// What the browser hears when the assistant cannot be reached: no upstream detail (URLs, codes
// that could name the configuration) goes down.
std::string upstream_unavailable_event() {
    json error = {{"type", "server_error"},
                  {"code", "upstream_unavailable"},
                  {"message", "the assistant is unavailable right now; please try again later"}};
    return serialized(json{{"type", "error"}, {"error", std::move(error)}});
}

// A code on its way by mail: the host's name and the code, nothing about any booking.
asio::awaitable<Result<void>> mail_code(identity::MailSender* mail, std::string host_name,
                                        tools::CodeDelivery delivery) {
    auto message = identity::code_mail(delivery.email, host_name, delivery.code, delivery.valid_for);
    co_return co_await mail->send(std::move(message));
}

// Sandbox mode without SMTP: the code goes to the page's sandbox panel and the log, marked as such.
Result<void> show_code(const std::weak_ptr<RelaySession>& weak, const std::function<void(std::string)>& send,
                       const tools::CodeDelivery& delivery) {
    if (weak.expired()) return Error::make(ErrorKind::unavailable, "session_ended", "the conversation ended");
    send(serialized(json{{"type", "calrt.sandbox_code"},
                         {"email", delivery.email},
                         {"code", delivery.code},
                         {"expires_in_minutes", delivery.valid_for.count()},
                         {"note", "Sandbox mode: no mail is sent. A real deployment emails this code to the person."}}));
    log::info("sandbox verification code (shown on the page; no mail is sent in sandbox mode)",
              {{"code", delivery.code}, {"sandbox", true}});
    return {};
}

// One co_return: GCC 12 with sanitizers warns (maybe-uninitialized) about a Result<void> coroutine
// that returns both an error and a success.
asio::awaitable<Result<void>> show_code_in_sandbox(std::weak_ptr<RelaySession> weak,
                                                   std::function<void(std::string)> send, tools::CodeDelivery delivery) {
    co_return show_code(weak, send, delivery);
}

store::SelfServiceChangeRecord audit_record(const tools::SelfServiceChange& change) {
    return store::SelfServiceChangeRecord{change.action,    change.outcome,       change.email,
                                          change.conversation_id, change.event_uri, change.old_start,
                                          change.new_event_uri, change.new_start, change.at};
}

// Written beside the tool's answer, not before it: Calendly has already made the change, so a slow
// or failing store neither delays the person nor turns a done change into an error. A failure is
// logged and counted (calrt_self_service_audit_failures_total). Borrows only the store and the metrics,
// which outlive the io_context (self_service_context.hpp, service.cpp).
asio::awaitable<void> record_in_audit_log(store::WebhookStore& audit_log, MetricsRegistry& metrics,
                                          std::string request_id, store::SelfServiceChangeRecord change) {
    const std::string action = change.action;
    auto recorded = co_await audit_log.record_change(std::move(change));
    if (recorded) co_return;
    metrics
        .counter("calrt_self_service_audit_failures_total",
                 "self-service changes (cancel, reschedule) that could not be recorded in the audit log")
        .inc();
    log::error("self-service change not recorded in the audit log", {{"request_id", request_id},
                                                                      {"action", action},
                                                                      {"code", recorded.error().code},
                                                                      {"message", recorded.error().message}});
}

// Who the person books with, for the instructions: the page's host, or the organization's team.
std::string team_name(const tools::TeamScope& scope) {
    if (!scope.host_slug.empty()) {
        if (const auto directory = scope.directory->cached()) {
            if (const auto* host = directory->host_by_slug(scope.host_slug)) return host->name;
        }
    }
    return "someone on the team";
}

}  // namespace

RelaySession::RelaySession(RelayShared& shared, asio::any_io_executor executor,
                           net::WebSocket browser, std::string request_id,
                           std::string person_time_zone, std::string client_address,
                           std::shared_ptr<const tools::TeamScope> team)
    : shared_(shared),
      executor_(executor),
      browser_(std::move(browser)),
      request_id_(std::move(request_id)),
      person_time_zone_(std::move(person_time_zone)),
      client_address_(client_address),
      tools_(shared.context.metrics),
      tool_context_(std::make_shared<tools::CalendlyToolContext>(tools::CalendlyToolContext{
          shared.context.calendly, shared.context.fallback_url, shared.context.time_zones,
          shared.context.clock, "calrt-" + random_hex(12), {}, shared.context.booking_caps, {},
          std::move(client_address)})),
      time_limit_(executor),
      shutdown_deadline_(executor),
      minutes_tick_(executor),
      minutes_charged_until_(shared.context.clock.now()),
      budget_(shared.context.limits, SessionBudget::Clock::now()) {
    tool_context_->slots_seen_open = std::make_shared<tools::SlotsSeenOpen>();
    tool_context_->team = std::move(team);
    tools::register_calendly_tools(tools_, tool_context_);
    if (auto* self_service = shared.context.self_service) {
        codes_ = &self_service->codes;
        conversation_id_ = request_id_ + "-" + random_hex(8);
        verification_context_ = std::make_shared<tools::VerificationToolContext>(tools::VerificationToolContext{
            self_service->codes, {}, self_service->unavailable_reason, conversation_id_, client_address_,
            &shared.context.metrics});
        auto zone = person_time_zone_.empty() ? Result<TimeZone>(TimeZone::utc())
                                              : shared.context.time_zones.get(person_time_zone_);
        self_service_context_ = std::make_shared<tools::SelfServiceToolContext>(tools::SelfServiceToolContext{
            shared.context.calendly, self_service->codes, shared.context.clock, conversation_id_,
            zone ? *zone : TimeZone::utc(), self_service->min_notice, shared.context.fallback_url,
            shared.context.booking_caps,
            // Every change is logged (not the email: logs are not where personal data is kept) and
            // recorded in the audit log, which does keep it, for the host.
            [request_id = request_id_, executor = executor_, audit_log = self_service->audit_log,
             &metrics = shared.context.metrics](const tools::SelfServiceChange& change) {
                log::info("invitee changed a booking", {{"request_id", request_id},
                                                         {"action", change.action},
                                                         {"outcome", change.outcome},
                                                         {"event", change.event_uri},
                                                         {"new_event", change.new_event_uri.value_or("")}});
                if (audit_log != nullptr) {
                    asio::co_spawn(executor, record_in_audit_log(*audit_log, metrics, request_id, audit_record(change)),
                                   asio::detached);
                }
            }});
        tools::register_verification_tools(tools_, verification_context_);
        tools::register_self_service_tools(tools_, self_service_context_);
        if (self_service->booking_requires_verified_email) {
            tool_context_->email_verified = [codes = codes_, conversation = conversation_id_](std::string_view email) {
                return codes->is_verified(conversation, email);
            };
        }
    }
}

RelaySession::~RelaySession() {
    // Not through shared_: a session's last frame may end after the relay's shared state (when the
    // io_context is destroyed at shutdown); the codes outlive both (self_service_context.hpp).
    if (codes_ != nullptr) codes_->end_conversation(conversation_id_);
}

void RelaySession::end_for_shutdown() {
    asio::dispatch(executor_, [self = shared_from_this()] {
        // Still waiting for the upstream (its connect may take up to its 10 s timeout): stop
        // waiting, so the session ends within the shutdown's grace period.
        if (self->opening_) self->opening_cancel_.emit(asio::cancellation_type::terminal);
        // The server's grace period is short: a browser that does not answer the close frame
        // soon is cut off. The handler holds no reference, so it keeps nothing alive.
        self->shutdown_deadline_.expires_after(kShutdownCloseLimit);
        self->shutdown_deadline_.async_wait([weak = std::weak_ptr<RelaySession>(self)](boost::system::error_code ec) {
            if (ec) return;
            if (auto session = weak.lock()) session->browser_.abort();
        });
        asio::co_spawn(self->executor_,
                       close_browser(self, net::close_code::going_away, "server shutting down"),
                       asio::detached);
    });
}

asio::awaitable<void> RelaySession::close_browser(std::shared_ptr<RelaySession> self,
                                                  std::uint16_t code, std::string reason) {
    co_await self->browser_.close(code, std::move(reason));
}

void RelaySession::on_server_event(std::string_view type, std::string_view raw_json) {
    // Upstream events go down exactly as OpenAI sent them (function-call events included, so the
    // page can show what the assistant is doing).
    browser_.send(std::string(raw_json));
    if (type == "response.created") {
        // Every response costs the host, also those the browser did not ask for: with
        // turn_detection's create_response the server answers each turn of speech by itself
        // (developers.openai.com, Realtime "Voice activity detection").
        asio::dispatch(executor_, [self = shared_from_this()] {
            if (auto breach = self->budget_.count_response_created()) {
                asio::co_spawn(self->executor_, end_for_limit(self, *breach), asio::detached);
            }
        });
        return;
    }
    if (type == "session.updated") {
        // What the server says is in force becomes the base of the browser's next update; an
        // update it refused never gets here.
        auto event = json::parse(raw_json, nullptr, false);
        if (event.is_discarded() || !event.is_object()) return;
        asio::dispatch(executor_, [self = shared_from_this(), event = std::move(event)] {
            adopt_server_session(self->session_config_, event.value("session", json::object()));
        });
    }
}

void RelaySession::on_tool_finished(const realtime::ToolCallInfo& call, const json& output,
                                    std::chrono::milliseconds) {
    // This session's own tool call: its arguments and result are this person's conversation, and
    // the page draws from them what the assistant only says (every slot, the booking's links).
    browser_.send(serialized(tool_result_event(call, output)));
}

bool RelaySession::expect_booking(const tools::ExpectedBooking& booking) {
    if (conversation_bookings_.expect(booking)) return true;
    log::warn("relay session reached its booking limit",
              {{"request_id", request_id_}, {"kind", booking.start_time ? "book_meeting" : "schedule_call"}});
    return false;
}

void RelaySession::settle_booking(const tools::ExpectedBooking& booking, tools::BookingSettlement settlement) {
    auto due = conversation_bookings_.settle(booking, settlement);
    if (due.empty()) return;
    // Confirmations go out on the session's strand, where the upstream session is looked after.
    asio::dispatch(executor_, [weak = weak_from_this(), due = std::move(due)] {
        auto self = weak.lock();
        if (!self) return;
        for (const auto& confirmation : due) self->confirm(confirmation);
    });
}

asio::awaitable<bool> RelaySession::open_upstream() {
    realtime::RealtimeSessionOptions options = shared_.context.upstream;
    options.instructions = realtime::assistant_instructions(
        tool_context_->team ? team_name(*tool_context_->team) : shared_.host_name(executor_),
        shared_.context.clock.now(), person_time_zone_);
    if (tool_context_->team) options.instructions += realtime::team_instructions();
    if (self_service_context_) options.instructions += realtime::self_service_instructions();
    // Shutdown began before this session could be cancelled: do not start to connect. Both this
    // and end_for_shutdown() run on executor_, so a shutdown after this line finds opening_ set.
    if (shared_.stopping) co_return false;
    opening_ = true;
    auto [failure, upstream] = co_await asio::co_spawn(
        executor_,
        realtime::RealtimeSession::connect(executor_, tools_, std::move(options), shared_from_this()),
        asio::bind_cancellation_slot(opening_cancel_.slot(), asio::as_tuple(asio::use_awaitable)));
    opening_ = false;
    opening_cancel_.slot().clear();
    if (failure || !upstream) {
        // A cancelled connect may end in an exception (asio throws from the next wait of a
        // cancelled coroutine); either way there is no upstream session.
        const std::string why = shared_.stopping ? "shutting_down"
                                : failure        ? "exception"
                                                 : upstream.error().code;
        log::warn("relay could not open the upstream session",
                  {{"request_id", request_id_}, {"code", why}});
        co_return false;
    }
    upstream_ = std::move(*upstream);
    session_config_ = upstream_->session_config();
    co_return true;
}

void RelaySession::subscribe_to_bookings() {
    if (shared_.context.bookings == nullptr) return;
    std::weak_ptr<RelaySession> weak = weak_from_this();
    bookings_ = shared_.context.bookings->subscribe(
        executor_,
        [weak](std::shared_ptr<const store::StoredDelivery> delivery) {
            if (auto self = weak.lock()) self->on_booking(*delivery);
        },
        store::SubscriberOptions{.event = "invitee.created"});
}

void RelaySession::on_booking(const store::StoredDelivery& delivery) {
    if (!upstream_) return;
    if (auto booking = conversation_bookings_.delivered(delivery, shared_.context.time_zones)) confirm(*booking);
}

void RelaySession::confirm(BookingConfirmation booking) {
    if (!upstream_) return;
    if (!tool_context_->team) booking.hosts.clear();
    // Not before the conversation is idle: the webhook often arrives while book_meeting is still
    // running, and the model should answer the tool's result first.
    std::vector<json> confirmation;
    confirmation.push_back(confirmation_item(booking));
    confirmation.push_back(json{{"type", "response.create"}});
    upstream_->send_when_idle(std::move(confirmation));
    // The page draws the booking card at once (a booking through a schedule_call link has no
    // tool result to draw it from).
    browser_.send(serialized(booking_confirmed_event(booking)));
    shared_.confirmations_total.inc();
    log::info("relay confirmed a booking live", {{"request_id", request_id_}});
}

std::optional<BudgetBreach> RelaySession::handle_browser_message(const std::string& text) {
    auto decision = decide_browser_event(text, session_config_);
    const auto* forward = std::get_if<ForwardEvent>(&decision);
    if (auto breach = budget_.charge(forward ? &forward->event : nullptr, SessionBudget::Clock::now())) {
        return breach;
    }
    std::visit(
        [this](auto& chosen) {
            using Chosen = std::decay_t<decltype(chosen)>;
            if constexpr (std::is_same_v<Chosen, ForwardEvent>) {
                if (!chosen.text.empty()) {
                    upstream_->forward(std::move(chosen.text));
                } else {
                    upstream_->send(chosen.event);
                }
            } else if constexpr (std::is_same_v<Chosen, UpdateSession>) {
                json update = {{"type", "session.update"}, {"session", std::move(chosen.changes)}};
                if (!chosen.event_id.empty()) update["event_id"] = chosen.event_id;
                upstream_->send(update);
            } else {
                browser_.send(serialized(chosen.error_event));
            }
        },
        decision);
    return std::nullopt;
}

asio::awaitable<void> RelaySession::pump_upstream(
    std::shared_ptr<RelaySession> self, std::shared_ptr<realtime::RealtimeSession> upstream) {
    const Error reason = co_await upstream->run();
    log::info("relay upstream ended", {{"request_id", self->request_id_}, {"reason", reason.code}});
    // Ends the browser side too (a no-op when the browser already left).
    co_await self->browser_.close(net::close_code::internal_error,
                                  "assistant session ended (" + reason.code + ")");
}

asio::awaitable<void> RelaySession::enforce_time_limit(std::shared_ptr<RelaySession> self) {
    self->time_limit_.expires_after(self->shared_.context.limits.max_session_duration);
    auto [ec] = co_await self->time_limit_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // the session ended first
    log::info("relay session reached its time limit", {{"request_id", self->request_id_}});
    co_await self->browser_.close(net::close_code::normal, "session time limit reached");
}

asio::awaitable<void> RelaySession::end_for_limit(std::shared_ptr<RelaySession> self,
                                                  BudgetBreach breach) {
    if (self->ended_ || self->closing_for_limit_) co_return;
    self->closing_for_limit_ = true;
    self->shared_.context.metrics
        .counter("calrt_realtime_limit_closes_total",
                 "Relay sessions closed for breaking a per-session limit", {{"limit", std::string(breach.limit)}})
        .inc();
    log::info("relay session closed for a limit",
              {{"request_id", self->request_id_}, {"limit", std::string(breach.limit)}});
    co_await self->browser_.close(net::close_code::policy_violation, std::string(breach.reason));
}

asio::awaitable<void> RelaySession::charge_daily_minutes(std::shared_ptr<RelaySession> self) {
    for (;;) {
        self->minutes_tick_.expires_after(kDailyMinutesTick);
        auto [ec] = co_await self->minutes_tick_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec || self->ended_) co_return;  // the session ended first
        if (self->shared_.daily_minutes.charge(self->client_address_, self->minutes_charged_until_)) {
            co_await end_for_limit(self, kDailyMinutesUsedUp);
            co_return;
        }
    }
}

asio::awaitable<void> RelaySession::run(std::shared_ptr<RelaySession> self) {
    // Weak: a tool call still running after the session ended must not keep it, nor touch it.
    std::weak_ptr<RelaySession> weak = self;
    self->tool_context_->on_expected_booking = [weak](const tools::ExpectedBooking& booking) {
        auto session = weak.lock();
        return session && session->expect_booking(booking);
    };
    self->tool_context_->on_booking_settled = [weak](const tools::ExpectedBooking& booking,
                                                     tools::BookingSettlement settlement) {
        if (auto session = weak.lock()) session->settle_booking(booking, settlement);
    };
    if (auto* self_service = self->shared_.context.self_service; self_service && self->verification_context_) {
        if (self_service->mail != nullptr) {
            const std::string host = self->shared_.host_name(self->executor_);
            self->verification_context_->deliver = [mail = self_service->mail, host](tools::CodeDelivery delivery) {
                return mail_code(mail, host, std::move(delivery));
            };
        } else if (self_service->codes_on_page) {
            auto send = [weak](std::string event) {
                if (auto session = weak.lock()) session->browser_.send(std::move(event));
            };
            self->verification_context_->deliver = [weak, send](tools::CodeDelivery delivery) {
                return show_code_in_sandbox(weak, send, std::move(delivery));
            };
        }
    }
    if (!co_await self->open_upstream()) {
        // At shutdown, end_for_shutdown() is already closing the browser side with 1001.
        if (self->shared_.stopping) co_return;
        co_await self->browser_.write(upstream_unavailable_event());
        co_await self->browser_.close(net::close_code::internal_error, "assistant unavailable");
        co_return;
    }
    self->shared_.sessions_total.inc();
    self->subscribe_to_bookings();
    asio::co_spawn(self->executor_, pump_upstream(self, self->upstream_), asio::detached);
    asio::co_spawn(self->executor_, enforce_time_limit(self), asio::detached);
    if (self->shared_.daily_minutes.enabled()) {
        asio::co_spawn(self->executor_, charge_daily_minutes(self), asio::detached);
    }

    std::string ended_by;
    for (;;) {
        auto message = co_await self->browser_.read();
        if (!message) {
            ended_by = message.error().code;
            break;
        }
        if (auto breach = self->handle_browser_message(*message)) {
            ended_by = std::string(breach->limit);
            co_await end_for_limit(self, *breach);
            break;
        }
    }
    log::info("relay session ended", {{"request_id", self->request_id_}, {"reason", ended_by}});
    self->ended_ = true;
    self->time_limit_.cancel();
    self->minutes_tick_.cancel();
    // What the session used since the last tick counts too.
    (void)self->shared_.daily_minutes.charge(self->client_address_, self->minutes_charged_until_);
    self->shutdown_deadline_.cancel();
    self->bookings_.reset();
    const bool stopping = self->shared_.stopping;
    if (stopping) {
        self->upstream_->abort("server shutting down");  // no closing handshake to wait for
    } else {
        co_await self->upstream_->close("browser left");
    }
    // The upstream session holds this one as its observer: let go of it to end the cycle.
    self->upstream_.reset();
    // A tool that outlived its dispatch timeout still uses the Calendly client: let it finish
    // while the server (which waits for this connection at shutdown) still stands.
    const auto tool_wait = stopping ? std::min<std::chrono::milliseconds>(
                                          self->shared_.context.upstream.tool_timeout, kShutdownToolLimit)
                                    : self->shared_.context.upstream.tool_timeout;
    if (!co_await self->tools_.wait_until_idle(tool_wait)) {
        log::warn("relay session ended with a tool still running", {{"request_id", self->request_id_}});
    }
}

}  // namespace calrt::server

#include "calrt/phone/phone_call.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "calrt/core/logging.hpp"
#include "calrt/core/random.hpp"
#include "calrt/realtime/assistant_instructions.hpp"
#include "calrt/realtime/client_events.hpp"
#include "calrt/server/booking_confirmation.hpp"

namespace calrt::phone {
namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::string_view kActiveResponseRefusal = "conversation_already_has_active_response";

std::string host_name(const server::RelayContext& assistant) {
    // Organization mode: the line is the organization's, and any of its hosts may be booked.
    if (assistant.directory) return "someone on the team";
    const auto user = assistant.calendly.cached_current_user();
    return user ? user->name : std::string{};
}

std::string team_instructions(const server::RelayContext& assistant) {
    return assistant.directory ? realtime::team_instructions() : std::string{};
}

std::string caller_for_logs(const IncomingCall& call) {
    return call.caller_number.empty() ? std::string("unknown") : mask_phone_number(call.caller_number);
}

// A tool answer that means the assistant could not do its job (as opposed to the caller asking for
// something that cannot be: a taken slot, a wrong email): Calendly failed, or the tool did.
bool is_failure(const json& output) {
    if (!output.is_object()) return false;
    if (output.value("fallback", false) == true) return true;
    const auto error = output.find("error");
    if (error == output.end() || !error->is_object()) return false;
    const std::string code = error->value("code", "");
    return code == "calendly_unavailable" || code == "tool_timeout" || code == "tool_failed";
}

// What the service asks the model to say on its own: the greeting, last words before an action.
json response_with(std::string_view instructions) {
    return {{"type", "response.create"}, {"response", {{"instructions", instructions}}}};
}

// The last words are tagged (response.metadata, echoed in the response: openai-python
// realtime_response.py), so the call acts when exactly that response is done, not another.
constexpr std::string_view kLastWordsTag = "last_words";

json last_words_request(std::string_view instructions) {
    json request = response_with(instructions);
    request["response"]["metadata"] = {{"calrt", kLastWordsTag}};
    return request;
}

bool carries_last_words(std::string_view raw_done) {
    const json done = json::parse(raw_done, nullptr, false);
    const json::json_pointer tag("/response/metadata/calrt");
    return done.is_object() && done.contains(tag) && done[tag] == kLastWordsTag;
}

}  // namespace

PhoneCall::PhoneCall(PhoneCallContext& context, asio::any_io_executor executor, IncomingCall call,
                     std::string request_id)
    : context_(context),
      strand_(asio::make_strand(executor)),
      call_(std::move(call)),
      request_id_(std::move(request_id)),
      instructions_(realtime::assistant_instructions(host_name(context.assistant),
                                                     context.assistant.clock.now()) +
                    team_instructions(context.assistant) +
                    phone_instructions(call_.caller_number, !context.settings.handoff_uri.empty(),
                                       context.assistant.fallback_url)),
      tools_(context.assistant.metrics),
      // The caller's number stands in for the client address of the per-address booking caps.
      tool_context_(std::make_shared<tools::CalendlyToolContext>(tools::CalendlyToolContext{
          context.assistant.calendly, context.assistant.fallback_url, context.assistant.time_zones,
          context.assistant.clock, "calrt-" + random_hex(12), {}, context.assistant.booking_caps, {},
          "phone:" + (call_.caller_number.empty() ? std::string("anonymous") : call_.caller_number)})),
      call_control_(std::make_shared<CallControlActions>()),
      length_timer_(strand_),
      minutes_timer_(strand_),
      last_words_timer_(strand_),
      acted_(strand_),
      started_(context.assistant.clock.now()),
      charged_until_(started_) {
    tool_context_->slots_seen_open = std::make_shared<tools::SlotsSeenOpen>();
    tool_context_->caller_number = call_.caller_number;
    if (context.assistant.directory) {
        tool_context_->team = std::make_shared<tools::TeamScope>(tools::TeamScope{context.assistant.directory});
    }
    if (auto* self_service = context.assistant.self_service;
        self_service != nullptr && self_service->booking_requires_verified_email) {
        // A call cannot prove an email here (no mailed code is read back on the phone yet): under
        // BOOKING_REQUIRES_VERIFIED_EMAIL it books nothing directly and offers links instead.
        tool_context_->email_verified = [](std::string_view) { return false; };
    }
    tools::register_calendly_tools(tools_, tool_context_);
    register_call_control_tools(tools_, call_control_);
}

PhoneCall::~PhoneCall() = default;

json PhoneCall::accept_session() const {
    const auto& upstream = context_.assistant.upstream;
    realtime::SessionConfig config{instructions_, {"audio"}, upstream.voice, tools_.specs(), "auto",
                                   upstream.turn_detection, {}};
    if (!upstream.reasoning_effort.empty() && realtime::model_takes_reasoning(upstream.model)) {
        config.reasoning_effort = upstream.reasoning_effort;
    }
    json session = realtime::session_update(config)["session"];
    session["model"] = upstream.model;
    // The SIP leg's codec is negotiated between the trunk and OpenAI: no PCM formats here.
    session["audio"]["input"].erase("format");
    if (session["audio"].contains("output")) session["audio"]["output"].erase("format");
    return session;
}

void PhoneCall::count_call(std::string_view outcome, std::string_view reason) {
    context_.assistant.metrics
        .counter("calrt_phone_calls_total",
                 "Phone calls by outcome (offered, accepted, rejected, accept_failed, transferred, completed)",
                 {{"outcome", std::string(outcome)}, {"reason", std::string(reason)}})
        .inc();
}

asio::awaitable<void> PhoneCall::run(std::shared_ptr<PhoneCall> self) {
    // All of the call's state lives on its strand.
    co_await asio::co_spawn(self->strand_, run_on_strand(self), asio::use_awaitable);
}

asio::awaitable<void> PhoneCall::run_on_strand(std::shared_ptr<PhoneCall> self) {
    // Weak: a tool call still running after the call ended must not keep it, nor touch it.
    std::weak_ptr<PhoneCall> weak = self;
    self->tool_context_->on_expected_booking = [weak](const tools::ExpectedBooking& booking) {
        auto call = weak.lock();
        return call && call->bookings_.expect(booking);
    };
    self->tool_context_->on_booking_settled = [weak](const tools::ExpectedBooking& booking,
                                                     tools::BookingSettlement settlement) {
        auto call = weak.lock();
        if (!call) return;
        auto due = call->bookings_.settle(booking, settlement);
        if (due.empty()) return;
        asio::dispatch(call->strand_, [call, due = std::move(due)] {
            for (const auto& confirmation : due) call->confirm(confirmation);
        });
    };
    self->call_control_->transfer = [weak](std::string_view reason) {
        auto call = weak.lock();
        return call ? call->transfer_requested(reason) : tools::tool_error("call_ended", "the call has ended");
    };
    self->call_control_->end_call = [weak] {
        auto call = weak.lock();
        return call ? call->end_requested() : tools::tool_error("call_ended", "the call has ended");
    };
    self->subscribe_to_bookings();
    asio::co_spawn(self->strand_, enforce_length(self), asio::detached);
    if (self->context_.charge_call_time) asio::co_spawn(self->strand_, charge_minutes(self), asio::detached);

    bool greeted = false;
    unsigned attempts_left = self->context_.settings.reattach_attempts;
    std::string ended_how = "caller";
    while (!self->ended_) {
        if (!co_await self->attach()) {
            ended_how = "sideband_unavailable";
        } else {
            if (!greeted) {
                greeted = true;
                self->upstream_->send(response_with(phone_greeting(host_name(self->context_.assistant))));
            }
            const Error reason = co_await self->upstream_->run();
            // The session holds this call as its observer: let go of it to end the cycle.
            self->upstream_.reset();
            // Closed by OpenAI: the call is over (the caller hung up, or it was transferred or
            // hung up from here). Closed here: an action ended it.
            if (self->ended_ || reason.code == "upstream_closed" || reason.code == "closed") {
                ended_how = "caller";
                break;
            }
            ended_how = "sideband_lost";
            log::warn("phone call's sideband dropped", {{"request_id", self->request_id_},
                                                        {"call_id", self->call_.call_id},
                                                        {"code", reason.code}});
        }
        if (self->ended_ || attempts_left == 0) break;
        --attempts_left;
        asio::steady_timer pause(self->strand_, self->context_.settings.reattach_delay);
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    if (!self->hung_up_here_ && !self->ended_ && ended_how != "caller") {
        // The call would talk on without its tools, unable to book or confirm: end it cleanly.
        self->hung_up_here_ = true;
        auto hung_up = co_await self->context_.calls.hangup(self->call_.call_id);
        self->ended_by_ = ended_how;
        log::warn("phone call hung up: its sideband could not be attached again",
                  {{"request_id", self->request_id_},
                   {"call_id", self->call_.call_id},
                   {"hangup", hung_up ? "sent" : hung_up.error().code}});
    }
    // OpenAI may close the sideband before it answers the hangup or refer: the call is counted
    // once that answer is in, with how it ended.
    if (self->acting_) {
        self->acted_.expires_after(self->context_.settings.last_words_limit);
        (void)co_await self->acted_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    self->ended_ = true;
    self->length_timer_.cancel();
    self->minutes_timer_.cancel();
    self->last_words_timer_.cancel();
    self->booking_feed_.reset();
    if (self->context_.charge_call_time) co_await self->charge_time_since_last();
    self->context_.lines.release(self->call_.call_id);

    const auto took = std::chrono::duration<double>(self->context_.assistant.clock.now() - self->started_);
    self->context_.assistant.metrics
        .histogram("calrt_phone_call_duration_seconds", "Length of answered phone calls", {},
                   {30, 60, 120, 300, 600, 900, 1800, 3600})
        .observe(took.count());
    self->context_.assistant.metrics
        .histogram("calrt_phone_call_bookings", "Meetings booked per answered phone call", {}, {0, 1, 2, 3})
        .observe(static_cast<double>(self->bookings_.bookings_started()));
    self->count_call("completed", self->ended_by_);  // last: a test that sees it sees the rest
    log::info("phone call ended", {{"request_id", self->request_id_},
                                   {"call_id", self->call_.call_id},
                                   {"caller", caller_for_logs(self->call_)},
                                   {"ended_by", self->ended_by_},
                                   {"seconds", std::to_string(static_cast<long long>(took.count()))}});
    // A tool that outlived its dispatch timeout still uses the Calendly client: let it finish.
    if (!co_await self->tools_.wait_until_idle(self->context_.assistant.upstream.tool_timeout)) {
        log::warn("phone call ended with a tool still running", {{"request_id", self->request_id_}});
    }
}

asio::awaitable<bool> PhoneCall::attach() {
    realtime::RealtimeSessionOptions options = context_.assistant.upstream;
    options.call_id = call_.call_id;
    options.instructions = instructions_;
    auto session =
        co_await realtime::RealtimeSession::connect(strand_, tools_, std::move(options), shared_from_this());
    if (!session) {
        log::warn("phone call's sideband could not be attached",
                  {{"request_id", request_id_}, {"call_id", call_.call_id}, {"code", session.error().code}});
        co_return false;
    }
    upstream_ = std::move(*session);
    co_return true;
}

void PhoneCall::end_for_shutdown() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->finish(Action::hang_up, "shutdown", {}, false); });
}

void PhoneCall::subscribe_to_bookings() {
    if (context_.assistant.bookings == nullptr) return;
    std::weak_ptr<PhoneCall> weak = weak_from_this();
    booking_feed_ = context_.assistant.bookings->subscribe(
        strand_,
        [weak](std::shared_ptr<const store::StoredDelivery> delivery) {
            auto call = weak.lock();
            if (!call || call->ended_) return;
            if (auto booking = call->bookings_.delivered(*delivery, call->context_.assistant.time_zones)) {
                call->confirm(*booking);
            }
        },
        store::SubscriberOptions{.event = "invitee.created"});
}

void PhoneCall::confirm(server::BookingConfirmation booking) {
    if (!upstream_ || ended_) return;
    if (!tool_context_->team) booking.hosts.clear();
    // Once the conversation is idle: the model answers book_meeting's result first.
    std::vector<json> confirmation;
    confirmation.push_back(server::confirmation_item(booking));
    confirmation.push_back(realtime::response_create());
    upstream_->send_when_idle(std::move(confirmation));
    context_.assistant.metrics
        .counter("calrt_phone_confirmations_total", "Bookings confirmed live in a phone call")
        .inc();
    log::info("phone call confirmed a booking live", {{"request_id", request_id_}, {"call_id", call_.call_id}});
}

void PhoneCall::on_server_event(std::string_view type, std::string_view raw_json) {
    if (type != "response.created" && type != "response.done") return;
    const bool created = type == "response.created";
    const bool last_words = !created && carries_last_words(raw_json);
    asio::dispatch(strand_, [self = shared_from_this(), created, last_words] {
        if (created) {
            ++self->responses_created_;
            if (self->responses_created_ > self->context_.settings.max_responses) {
                self->finish(Action::hang_up, "responses", {}, false);
            }
            return;
        }
        // The last words are said: act now. Those the service asked for are known by their tag;
        // those after a call-control tool are the first response created after it started.
        if (self->pending_ == Action::none) return;
        const bool said = self->awaiting_last_words_ ? last_words
                                                     : self->responses_created_ > self->pending_after_responses_;
        if (said) asio::co_spawn(self->strand_, act(self), asio::detached);
    });
}

void PhoneCall::on_tool_started(const realtime::ToolCallInfo& call) {
    const bool call_control = call.name == "transfer_to_human" || call.name == "end_call";
    asio::dispatch(strand_, [self = shared_from_this(), call_control] {
        ++self->tool_calls_;
        // What the assistant says after a call-control tool's output is its last words.
        if (call_control) self->call_control_baseline_ = self->responses_created_;
        if (self->tool_calls_ > self->context_.settings.max_tool_calls) {
            self->finish(Action::hang_up, "tool_calls", {}, false);
        }
    });
}

void PhoneCall::on_tool_finished(const realtime::ToolCallInfo& call, const json& output,
                                 std::chrono::milliseconds) {
    if (call.name == "transfer_to_human" || call.name == "end_call") return;
    const bool failed = is_failure(output);
    asio::dispatch(strand_, [self = shared_from_this(), failed] {
        if (failed) {
            self->count_failure("tool");
        } else {
            self->failures_in_a_row_ = 0;
        }
    });
}

void PhoneCall::on_upstream_error(const realtime::UpstreamError& error) {
    // A refused response.create is ordinary (the function-call loop asks again), not a failure.
    if (error.code == kActiveResponseRefusal) return;
    asio::dispatch(strand_, [self = shared_from_this()] { self->count_failure("realtime_error"); });
}

void PhoneCall::count_failure(std::string_view what) {
    if (++failures_in_a_row_ < 2) return;
    failures_in_a_row_ = 0;
    log::warn("phone call's assistant failed twice in a row",
              {{"request_id", request_id_}, {"call_id", call_.call_id}, {"last", std::string(what)}});
    if (context_.settings.handoff_uri.empty()) return;  // the tools' answers already say how to book
    finish(Action::transfer, "assistant_failed",
           "Apologise briefly: something went wrong twice. Tell the caller you are transferring them to a "
           "person now.");
}

json PhoneCall::transfer_requested(std::string_view reason) {
    if (context_.settings.handoff_uri.empty()) {
        std::string message = "Nobody can take a transferred call here.";
        if (!context_.assistant.fallback_url.empty()) {
            message += " Tell the caller they can book a time themselves at " + context_.assistant.fallback_url + ".";
        }
        message += " Offer to go on helping them book.";
        return {{"transferred", false}, {"message", message}};
    }
    // The model's words go to the log only: a metric label must come from a fixed set.
    log::info("phone caller asked for a person",
              {{"request_id", request_id_}, {"call_id", call_.call_id}, {"why", std::string(reason.substr(0, 200))}});
    asio::dispatch(strand_, [self = shared_from_this()] {
        self->finish(Action::transfer, "asked_for_human", {}, true, true);
    });
    return {{"transferring", true},
            {"message", "The call is transferred to a person as soon as you have told the caller, in one short sentence."}};
}

json PhoneCall::end_requested() {
    asio::dispatch(strand_, [self = shared_from_this()] {
        self->finish(Action::hang_up, "conversation_over", {}, true, true);
    });
    return {{"ending", true}, {"message", "The call ends when you finish this answer: say goodbye if you have not."}};
}

void PhoneCall::finish(Action action, std::string reason, std::string last_words, bool wait_for_response,
                       bool after_call_control) {
    if (pending_ != Action::none || hung_up_here_ || ended_) return;
    pending_ = action;
    pending_reason_ = std::move(reason);
    pending_after_responses_ = after_call_control ? call_control_baseline_ : responses_created_;
    log::info("phone call ending", {{"request_id", request_id_},
                                    {"call_id", call_.call_id},
                                    {"action", action == Action::transfer ? "transfer" : "hang_up"},
                                    {"reason", pending_reason_}});
    if (!last_words.empty()) {
        if (upstream_) {
            awaiting_last_words_ = true;
            upstream_->send_when_idle({last_words_request(last_words)});
        } else {
            wait_for_response = false;  // no sideband to speak through right now
            last_words.clear();
        }
    }
    if (!wait_for_response && last_words.empty()) {
        asio::co_spawn(strand_, act(shared_from_this()), asio::detached);
        return;
    }
    asio::co_spawn(strand_, wait_for_last_words(shared_from_this()), asio::detached);
}

asio::awaitable<void> PhoneCall::wait_for_last_words(std::shared_ptr<PhoneCall> self) {
    self->last_words_timer_.expires_after(self->context_.settings.last_words_limit);
    auto [ec] = co_await self->last_words_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // acted, or the call ended
    co_await act(self);
}

asio::awaitable<void> PhoneCall::act(std::shared_ptr<PhoneCall> self) {
    if (self->hung_up_here_ || self->pending_ == Action::none) co_return;
    self->hung_up_here_ = true;
    self->acting_ = true;
    self->last_words_timer_.cancel();
    const std::string& id = self->call_.call_id;
    bool transferred = false;
    if (self->pending_ == Action::transfer) {
        auto referred = co_await self->context_.calls.refer(id, self->context_.settings.handoff_uri);
        transferred = referred.has_value();
        if (!referred) {
            log::error("phone call could not be transferred; hanging up", {{"request_id", self->request_id_},
                                                                             {"call_id", id},
                                                                             {"code", referred.error().code}});
        }
    }
    if (transferred) {
        self->ended_by_ = "transferred";
        self->count_call("transferred", self->pending_reason_);
        log::info("phone call transferred", {{"request_id", self->request_id_}, {"call_id", id}});
    } else {
        auto hung_up = co_await self->context_.calls.hangup(id);
        self->ended_by_ = self->pending_reason_;
        log::info("phone call hung up", {{"request_id", self->request_id_},
                                         {"call_id", id},
                                         {"reason", self->pending_reason_},
                                         {"hangup", hung_up ? "sent" : hung_up.error().code}});
    }
    self->ended_ = true;
    // A reference of its own: the call's run may let go of the session while this closes it.
    if (const auto upstream = self->upstream_) co_await upstream->close("call ended");
    self->acting_ = false;
    self->acted_.cancel();
}

asio::awaitable<void> PhoneCall::enforce_length(std::shared_ptr<PhoneCall> self) {
    self->length_timer_.expires_after(self->context_.settings.max_duration);
    auto [ec] = co_await self->length_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec || self->ended_) co_return;
    self->finish(Action::hang_up, "time_limit",
                 "Tell the caller this call has reached its time limit, that they can call again or book on the "
                 "host's booking page, and say goodbye.");
}

asio::awaitable<void> PhoneCall::charge_minutes(std::shared_ptr<PhoneCall> self) {
    for (;;) {
        self->minutes_timer_.expires_after(self->context_.settings.minutes_tick);
        auto [ec] = co_await self->minutes_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec || self->ended_) co_return;
        if (!co_await self->charge_time_since_last()) {
            self->finish(Action::hang_up, "daily_minutes",
                         "Tell the caller the phone line has no more time today and that they can book on the "
                         "host's booking page, and say goodbye.");
            co_return;
        }
    }
}

asio::awaitable<bool> PhoneCall::charge_time_since_last() {
    const auto elapsed =
        std::chrono::floor<std::chrono::seconds>(context_.assistant.clock.now() - charged_until_);
    if (elapsed.count() <= 0) co_return true;
    charged_until_ += elapsed;
    auto left = co_await context_.charge_call_time(elapsed);
    if (!left) {
        // A store that cannot count does not end calls; it is logged.
        log::warn("phone call time not charged to the day's minutes",
                  {{"request_id", request_id_}, {"code", left.error().code}});
        co_return true;
    }
    co_return *left;
}

}  // namespace calrt::phone

namespace calrt::phone {

void ActiveCalls::add(const std::shared_ptr<PhoneCall>& call) {
    const std::lock_guard lock(mutex_);
    std::erase_if(calls_, [](const auto& entry) { return entry.second.expired(); });
    calls_[call->call_id()] = call;
}

void ActiveCalls::end_all() {
    std::vector<std::shared_ptr<PhoneCall>> open;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [id, weak] : calls_) {
            if (auto call = weak.lock()) open.push_back(std::move(call));
        }
    }
    for (const auto& call : open) call->end_for_shutdown();
}

std::size_t ActiveCalls::size() const {
    const std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(calls_.begin(), calls_.end(), [](const auto& entry) { return !entry.second.expired(); }));
}

}  // namespace calrt::phone

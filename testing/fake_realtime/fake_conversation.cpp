#include "testing/fake_realtime/fake_conversation.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "testing/fake_realtime/sandbox_assistant.hpp"
#include "testing/fake_realtime/session_rules.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::testing {
namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::steady_clock;

namespace {

// The session the fake starts with: the GA session object (research/openai.md §1.2-1.4), with
// server_vad on, as the API defaults speech-to-speech sessions to (developers.openai.com
// guides/realtime-vad).
json default_session(const std::string& model) {
    return {
        {"type", "realtime"},
        {"object", "realtime.session"},
        {"id", "sess_fake"},
        {"model", model},
        {"output_modalities", json::array({"audio"})},
        {"instructions", ""},
        {"tools", json::array()},
        {"tool_choice", "auto"},
        {"max_output_tokens", "inf"},
        {"tracing", nullptr},
        {"truncation", "auto"},
        {"prompt", nullptr},
        {"include", nullptr},
        {"expires_at", 0},
        {"audio",
         {{"input",
           {{"format", {{"type", "audio/pcm"}, {"rate", 24000}}},
            {"transcription", nullptr},
            {"noise_reduction", nullptr},
            {"turn_detection", effective_turn_detection({{"type", "server_vad"}})}}},
          {"output",
           {{"format", {{"type", "audio/pcm"}, {"rate", 24000}}},
            {"voice", "marin"},
            {"speed", 1.0}}}}}};
}

std::string input_text_of(const json& message_item) {
    std::string text;
    for (const auto& part : message_item.value("content", json::array())) {
        if (part.value("type", "") == "input_text") text += part.value("text", "");
    }
    return text;
}

std::string quote_outputs(const std::vector<json>& outputs) {
    std::string text = "Fake Realtime answer using";
    for (const auto& output : outputs)
        text += " " + output.dump(-1, ' ', false, json::error_handler_t::replace);
    return text;
}

}  // namespace

json error_event(std::string_view code, std::string message, const json& cause, json param) {
    return {{"type", "error"},
            {"error",
             {{"type", "invalid_request_error"},
              {"code", code},
              {"message", std::move(message)},
              {"param", std::move(param)},
              {"event_id", cause.is_object() ? cause.value("event_id", json()) : json()}}}};
}

FakeConversation::FakeConversation(std::shared_ptr<FakeRealtime::State> state,
                                   const std::shared_ptr<net::WebSocket>& socket,
                                   const std::string& model, std::string call_id,
                                   const json& accepted_session)
    : state_(std::move(state)),
      call_id_(std::move(call_id)),
      socket_(socket),
      out_(socket, [this](const json& event) { watch_sent(event); }),
      session_(default_session(model)) {
    if (accepted_session.is_object()) {
        // A sideband names no model (?call_id= instead); the session has the accepted one, and
        // gpt-realtime when the accept named none (the fake's choice). The accept body is a whole
        // session configuration (RealtimeSessionCreateRequestGA), applied as an update would be.
        session_["model"] = accepted_session.value("model", std::string("gpt-realtime"));
        apply_session_update(session_, accepted_session);
    }
    configure_voice_activity();
}

void FakeConversation::start() {
    std::lock_guard lock(mutex_);
    out_.send({{"type", "session.created"}, {"session", session_}});
}

void FakeConversation::handle(const json& event) {
    std::lock_guard lock(mutex_);
    const std::string type = event.value("type", "");
    if (type != "input_audio_buffer.append") {  // audio streams in by the dozen per second
        std::lock_guard state_lock(state_->mutex);
        state_->client_event_types.push_back(type);
    }
    if (type == "session.update") return update_session(event);
    if (type == "conversation.item.create") return add_item(event);
    if (type == "response.create") return respond(event);
    if (type == "response.cancel") return cancel_response(event);
    if (type == "input_audio_buffer.append") return hear_audio(event);
    if (type == "input_audio_buffer.commit") return commit_audio(event);
    if (type == "input_audio_buffer.clear") return clear_audio();
    static const std::set<std::string, std::less<>> kAccepted = {
        "conversation.item.truncate", "conversation.item.delete", "conversation.item.retrieve",
        "output_audio_buffer.clear"};
    if (kAccepted.contains(type)) return;
    out_.send(error_event("invalid_value",
                          "Invalid value: '" + type + "' is not a client event type.", event));
}

void FakeConversation::unreadable_message() {
    std::lock_guard lock(mutex_);
    out_.send(error_event("invalid_json", "The message is not a JSON event with a type.", json()));
}

void FakeConversation::finish_held_responses() {
    std::lock_guard lock(mutex_);
    if (!active_) return;
    active_->response.finish();
    after_response_step();
}

void FakeConversation::watch_sent(const json& event) {
    const std::string type = event.value("type", "");
    if (type == "response.output_audio.delta") output_audio_sent_ = true;
    if (type != "error" && type != "response.done") return;
    std::lock_guard lock(state_->mutex);
    if (type == "error") state_->errors_sent.push_back(event);
    if (type == "response.done")
        state_->response_statuses.push_back(event["response"].value("status", ""));
    if (type == "response.done" && !call_id_.empty()) record_assistant_answers(event["response"]);
}

bool FakeConversation::spoken() const {
    const auto& modalities = session_["output_modalities"];
    return std::find(modalities.begin(), modalities.end(), "audio") != modalities.end();
}

ResponseSettings FakeConversation::response_settings() const {
    const json::json_pointer voice("/audio/output/voice");
    return {spoken(),
            session_.contains(voice) && session_[voice].is_string() ? session_[voice].get<std::string>()
                                                                     : std::string("marin"),
            state_->options.argument_pieces, response_metadata_};
}

void FakeConversation::update_session(const json& event) {
    const json& update = event.contains("session") ? event["session"] : json();
    if (const auto& code = state_->options.refuse_session_updates; !code.empty()) {
        out_.send(error_event(code, "The session configuration was refused (" + code + ").", event, json()));
        return;
    }
    if (auto refusal = session_update_refusal(update, output_audio_sent_)) {
        // The whole update is refused: nothing in it applies, no session.updated.
        out_.send(error_event(refusal->code, refusal->message, event, refusal->param));
        return;
    }
    apply_session_update(session_, update);
    configure_voice_activity();
    {
        std::lock_guard lock(state_->mutex);
        state_->session_updates.push_back(update);
    }
    out_.send({{"type", "session.updated"}, {"session", session_}});
}

void FakeConversation::add_item(const json& event) {
    json item = event.contains("item") ? event["item"] : json();
    if (!item.is_object()) {
        out_.send(error_event("missing_required_parameter", "Missing required parameter: 'item'.",
                              event));
        return;
    }
    const std::string type = item.value("type", "");
    if (type == "function_call_output") {
        const std::string call_id = item.value("call_id", "");
        if (!issued_calls_.contains(call_id)) {
            out_.send(error_event("invalid_value",
                                  "No function call with call_id '" + call_id + "'.", event));
            return;
        }
        auto output = json::parse(item.value("output", ""), nullptr, false);
        outputs_[call_id] = output.is_discarded() ? json(item.value("output", "")) : output;
        ++outputs_since_response_;
        std::lock_guard lock(state_->mutex);
        state_->function_call_outputs.push_back(item);
    } else if (type == "message" && item.value("role", "") == "user") {
        std::string text = input_text_of(item);
        unanswered_.push_back(text);
        std::lock_guard lock(state_->mutex);
        state_->user_texts.push_back(text);
    } else if (type == "message" && item.value("role", "") == "system") {
        // A note from the application (the relay's booking confirmation): the next
        // response.create answers it before any user text.
        std::string text = input_text_of(item);
        system_notes_.push_back(text);
        std::lock_guard lock(state_->mutex);
        state_->system_texts.push_back(text);
    }
    if (!item.contains("id")) item["id"] = out_.next_id("item");
    item["object"] = "realtime.item";
    item["status"] = "completed";
    const json previous = out_.last_item_id();
    out_.send({{"type", "conversation.item.added"}, {"previous_item_id", previous}, {"item", item}});
    out_.send({{"type", "conversation.item.done"}, {"previous_item_id", previous}, {"item", item}});
}

void FakeConversation::respond(const json& event) {
    if (active_) {
        // research/openai.md §3-4 (observed): refused, the response in progress goes on.
        out_.send(error_event("conversation_already_has_active_response",
                              "Conversation already has an active response in progress: " +
                                  active_->response.id() +
                                  ". Wait until the response is finished before creating a new "
                                  "one.",
                              event));
        return;
    }
    {
        std::lock_guard lock(state_->mutex);
        state_->outputs_before_response_create.push_back(outputs_since_response_);
    }
    outputs_since_response_ = 0;
    // The response this request starts carries its metadata; later ones (the answer after its
    // tool calls, voice activity's) do not.
    const json::json_pointer metadata("/response/metadata");
    response_metadata_ = event.contains(metadata) && event[metadata].is_object() ? event[metadata] : json();
    struct Forget {
        json& metadata;
        ~Forget() { metadata = nullptr; }
    } forget{response_metadata_};
    if (awaiting_) {
        {
            std::lock_guard lock(state_->mutex);
            state_->tool_round_trips.push_back(
                {awaiting_->tools, std::chrono::duration_cast<std::chrono::microseconds>(
                                       steady_clock::now() - awaiting_->calls_sent_at)});
        }
        std::vector<json> outputs;
        for (const auto& call_id : awaiting_->call_ids) {
            const auto found = outputs_.find(call_id);
            outputs.push_back(found != outputs_.end() ? found->second : json());
        }
        const auto text = awaiting_->answer ? awaiting_->answer(outputs) : quote_outputs(outputs);
        awaiting_.reset();
        return answer(text);
    }
    if (!system_notes_.empty()) {
        const std::string note = system_notes_.front();
        system_notes_.pop_front();
        return answer(state_->options.sandbox ? sandbox_note_answer(note)
                                              : "Fake Realtime noted: " + note);
    }
    if (unanswered_audio_ > 0) {
        --unanswered_audio_;
        return run_turn(speech_turn());
    }
    if (unanswered_.empty() && state_->options.streamed_speech.count() > 0) {
        output_audio_sent_ = true;
        asio::co_spawn(state_->executor,
                       stream_speech(socket_, out_.next_id("resp"), state_->options.streamed_speech,
                                     state_->options.audio_chunk),
                       asio::detached);
        return;
    }
    if (unanswered_.empty()) {
        // Words of the model's own, asked for by the response's instructions (a phone call's
        // greeting): the sandbox cannot follow instructions, so it introduces itself.
        const json::json_pointer instructions("/response/instructions");
        if (state_->options.sandbox && event.contains(instructions)) return answer(sandbox_greeting());
        return answer("Fake Realtime: there is nothing new to answer.");
    }
    const std::string text = unanswered_.front();
    unanswered_.pop_front();
    run_turn(turn_for(text));
    answered_.push_back(text);
}

void FakeConversation::cancel_response(const json&) {
    // Nothing in progress: the real server answers with an error whose code is not documented
    // (research/openai.md §4); the fake ignores it.
    if (!active_) return;
    active_->response.cancel("client_cancelled");
    after_response_step();
}

FakeTurn FakeConversation::turn_for(const std::string& text) const {
    if (auto scripted = state_->scripted_turn(text)) return *scripted;
    if (state_->options.sandbox) {
        if (auto call_control = sandbox_call_control_turn(text, session_)) return std::move(*call_control);
        const auto& instructions = session_["instructions"];
        return sandbox_turn(text, answered_,
                            person_time_zone_in(instructions.is_string()
                                                    ? instructions.get<std::string>()
                                                    : std::string()));
    }
    FakeTurn unscripted;
    unscripted.answer = [](const std::vector<json>&) {
        return std::string("Fake Realtime: no script for that.");
    };
    return unscripted;
}

void FakeConversation::run_turn(const FakeTurn& turn, const std::function<void()>& after_created) {
    if (turn.error) {
        out_.send({{"type", "error"}, {"error", *turn.error}});
        return;
    }
    if (turn.calls.empty()) {
        active_.emplace(Active{FakeResponse::saying(out_, response_settings(),
                                                    turn.answer ? turn.answer({}) : quote_outputs({})),
                               std::nullopt});
    } else {
        std::vector<std::string> tools;
        for (const auto& call : turn.calls) tools.push_back(call.name);
        auto response = FakeResponse::calling(out_, response_settings(), turn.calls);
        active_.emplace(Active{std::move(response),
                               AwaitingOutputs{{}, turn.answer, std::move(tools), {}}});
    }
    active_->response.start(turn.hold, after_created);
    after_response_step();
}

void FakeConversation::answer(const std::string& text) {
    active_.emplace(Active{FakeResponse::saying(out_, response_settings(), text), std::nullopt});
    active_->response.start(FakeHold::none);
    after_response_step();
}

void FakeConversation::after_response_step() {
    if (!active_) return;
    const auto sent = active_->response.call_ids_sent();
    issued_calls_.insert(sent.begin(), sent.end());
    if (active_->response.in_progress()) return;
    // Only a completed response's calls are answered after their outputs; a cancelled one's
    // outputs are accepted but lead nowhere.
    if (active_->awaiting && active_->response.status() == "completed") {
        awaiting_ = std::move(active_->awaiting);
        awaiting_->call_ids = active_->response.completed_call_ids();
        awaiting_->calls_sent_at = steady_clock::now();
    }
    active_.reset();
}

}  // namespace calrt::testing

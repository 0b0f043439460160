#include "testing/fake_realtime/fake_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <set>

#include "testing/fake_realtime/response_streamer.hpp"
#include "testing/fake_realtime/sandbox_assistant.hpp"
#include "testing/fake_realtime/speech_stream.hpp"

namespace calrt::testing {
namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::steady_clock;

namespace {

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
        {"audio",
         {{"input",
           {{"format", {{"type", "audio/pcm"}, {"rate", 24000}}},
            {"turn_detection", {{"type", "server_vad"}}}}},
          {"output", {{"format", {{"type", "audio/pcm"}, {"rate", 24000}}}, {"voice", "marin"}}}}}};
}

json error_event(std::string_view code, std::string message, const json& cause) {
    return {{"type", "error"},
            {"error",
             {{"type", "invalid_request_error"},
              {"code", code},
              {"message", std::move(message)},
              {"param", nullptr},
              {"event_id", cause.is_object() ? cause.value("event_id", json()) : json()}}}};
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

// One connection's conversation; touched only by its own coroutine.
class FakeConversation {
  public:
    FakeConversation(std::shared_ptr<FakeRealtime::State> state,
                     const std::shared_ptr<net::WebSocket>& socket, const std::string& model)
        : state_(std::move(state)), socket_(socket), out_(*socket), session_(default_session(model)) {}

    void start() { out_.send({{"type", "session.created"}, {"session", session_}}); }

    void handle(const json& event) {
        const std::string type = event.value("type", "");
        if (type != "input_audio_buffer.append") {  // audio streams in by the dozen per second
            std::lock_guard lock(state_->mutex);
            state_->client_event_types.push_back(type);
        }
        if (type == "session.update") return update_session(event);
        if (type == "conversation.item.create") return add_item(event);
        if (type == "response.create") return respond();
        if (type == "input_audio_buffer.append") return hear_audio();
        static const std::set<std::string, std::less<>> kAccepted = {
            "input_audio_buffer.commit",  "input_audio_buffer.clear", "response.cancel",
            "conversation.item.truncate", "conversation.item.delete", "conversation.item.retrieve",
            "output_audio_buffer.clear"};
        if (kAccepted.contains(type)) return;
        out_.send(error_event("invalid_value",
                              "Invalid value: '" + type + "' is not a client event type.", event));
    }

  private:
    bool spoken() const {
        const auto& modalities = session_["output_modalities"];
        return std::find(modalities.begin(), modalities.end(), "audio") != modalities.end();
    }

    void update_session(const json& event) {
        const json& update = event.contains("session") ? event["session"] : json();
        if (!update.is_object() || update.value("type", "") != "realtime") {
            out_.send(error_event("missing_required_parameter",
                                  "Missing required parameter: 'session.type'.", event));
            return;
        }
        session_.merge_patch(update);
        {
            std::lock_guard lock(state_->mutex);
            state_->session_updates.push_back(update);
        }
        out_.send({{"type", "session.updated"}, {"session", session_}});
    }

    void add_item(const json& event) {
        json item = event.contains("item") ? event["item"] : json();
        if (!item.is_object()) {
            out_.send(error_event("missing_required_parameter",
                                  "Missing required parameter: 'item'.", event));
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
        out_.send({{"type", "conversation.item.added"}, {"item", item}});
        out_.send({{"type", "conversation.item.done"}, {"item", item}});
    }

    void respond() {
        {
            std::lock_guard lock(state_->mutex);
            state_->outputs_before_response_create.push_back(outputs_since_response_);
        }
        outputs_since_response_ = 0;
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
            const auto answer =
                awaiting_->answer ? awaiting_->answer(outputs) : quote_outputs(outputs);
            awaiting_.reset();
            return out_.answer(answer, spoken());
        }
        if (!system_notes_.empty()) {
            const std::string note = system_notes_.front();
            system_notes_.pop_front();
            return out_.answer(state_->options.sandbox ? sandbox_note_answer(note)
                                                       : "Fake Realtime noted: " + note,
                               spoken());
        }
        if (unanswered_.empty() && state_->options.streamed_speech.count() > 0) {
            asio::co_spawn(state_->executor,
                           stream_speech(socket_, out_.next_id("resp"), state_->options.streamed_speech,
                                         state_->options.audio_chunk),
                           asio::detached);
            return;
        }
        if (unanswered_.empty())
            return out_.answer("Fake Realtime: there is nothing new to answer.", spoken());
        const std::string text = unanswered_.front();
        unanswered_.pop_front();
        run_turn(turn_for(text));
        answered_.push_back(text);
    }

    FakeTurn turn_for(const std::string& text) const {
        if (auto scripted = state_->scripted_turn(text)) return *scripted;
        if (state_->options.sandbox) return sandbox_turn(text, answered_);
        FakeTurn unscripted;
        unscripted.answer = [](const std::vector<json>&) {
            return std::string("Fake Realtime: no script for that.");
        };
        return unscripted;
    }

    void run_turn(const FakeTurn& turn) {
        if (turn.error) {
            out_.send({{"type", "error"}, {"error", *turn.error}});
            return;
        }
        if (turn.calls.empty())
            return out_.answer(turn.answer ? turn.answer({}) : quote_outputs({}), spoken());
        auto call_ids = out_.call_functions(turn.calls, state_->options.argument_pieces);
        issued_calls_.insert(call_ids.begin(), call_ids.end());
        std::vector<std::string> tools;
        for (const auto& call : turn.calls) tools.push_back(call.name);
        awaiting_ = AwaitingOutputs{std::move(call_ids), turn.answer, std::move(tools),
                                    steady_clock::now()};
    }

    void hear_audio() {
        if (!state_->options.sandbox || audio_noticed_) return;
        audio_noticed_ = true;  // once per connection: audio arrives continuously
        out_.answer(sandbox_audio_notice(), spoken());
    }

    struct AwaitingOutputs {
        std::vector<std::string> call_ids;
        std::function<std::string(const std::vector<json>&)> answer;
        std::vector<std::string> tools;
        steady_clock::time_point calls_sent_at;  // when response.done listed them
    };

    std::shared_ptr<FakeRealtime::State> state_;
    std::weak_ptr<net::WebSocket> socket_;  // for streamed speech, which may outlive this
    ResponseStreamer out_;
    json session_;
    std::deque<std::string> unanswered_;
    std::vector<std::string> answered_;  // the sandbox's memory of the conversation
    std::deque<std::string> system_notes_;
    std::optional<AwaitingOutputs> awaiting_;
    std::set<std::string, std::less<>> issued_calls_;
    std::map<std::string, json> outputs_;
    std::size_t outputs_since_response_ = 0;
    bool audio_noticed_ = false;
};

}  // namespace

boost::asio::awaitable<void> serve_fake_realtime_connection(
    std::shared_ptr<FakeRealtime::State> state, std::shared_ptr<net::WebSocket> socket,
    std::string model) {
    FakeConversation conversation(state, socket, model);
    conversation.start();
    for (;;) {
        auto message = co_await socket->read();
        if (!message) break;
        auto event = json::parse(*message, nullptr, false);
        if (event.is_discarded() || !event.is_object() || !event.contains("type") ||
            !event["type"].is_string()) {
            socket->send(
                error_event("invalid_json", "The message is not a JSON event with a type.", json())
                    .dump());
            continue;
        }
        if (state->options.on_client_event) state->options.on_client_event(event);
        if (const std::chrono::milliseconds latency{state->latency_ms.load()};
            latency.count() > 0 && event["type"] == "session.update") {
            asio::steady_timer timer(co_await asio::this_coro::executor, latency);
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        conversation.handle(event);
    }
}

}  // namespace calrt::testing

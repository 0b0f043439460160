#include "assistant_upstream.hpp"

#include "calrt/core/logging.hpp"

namespace calrt::app {

AssistantUpstream assistant_upstream(boost::asio::io_context& io, const Config& config) {
    AssistantUpstream upstream;
    upstream.options.url = config.openai.realtime_url;
    upstream.options.model = config.openai.model;
    upstream.options.api_key = config.openai.api_key;
    upstream.options.turn_detection = {config.openai.turn_detection, config.openai.vad_eagerness};
    upstream.options.reasoning_effort = config.openai.reasoning_effort;
    if (!config.realtime_sandbox()) return upstream;

    upstream.sandbox = std::make_unique<calrt::testing::FakeRealtime>(
        io, calrt::testing::FakeRealtimeOptions{.api_key = "", .sandbox = true});
    upstream.sandbox->start();
    upstream.options.url = upstream.sandbox->url();
    upstream.options.api_key = Secret();
    log::warn("SANDBOX MODE: the assistant is the built-in sandbox assistant, not OpenAI",
              {{"fake_realtime", upstream.sandbox->url()}});
    return upstream;
}

}  // namespace calrt::app

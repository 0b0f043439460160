#pragma once
// `calendly-realtime chat`: a text conversation with the assistant from the terminal, through the
// same Realtime client and Calendly tools the browser relay uses. The assistant's words stream to
// stdout as they come, with a line for each tool it runs. Against OpenAI with OPENAI_API_KEY,
// otherwise (or with --sandbox) against the sandbox assistant; against the fake Calendly when
// there is no CALENDLY_API_KEY. Input: one message per line; end of input or "/quit" ends.

#include "calrt/core/config.hpp"

#include <string>
#include <vector>

namespace calrt::app {

// `words` is the command line after "chat" (none are taken). Returns the exit code: 0 when the
// person ended the chat, 1 when the assistant could not be reached or ended the session.
int run_chat_command(const Config& config, const std::vector<std::string>& words);

}  // namespace calrt::app

#pragma once
// The command line: `calendly-realtime [COMMAND ...] [--flag VALUE | --flag=VALUE ...]`.

#include "calrt/core/error.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace calrt::app {

struct CommandLine {
    std::vector<std::string> command;  // positional words, e.g. {"webhooks", "list"}; empty: serve
    std::map<std::string, std::string, std::less<>> settings;  // setting name -> value (--port 8080)
    std::map<std::string, std::string, std::less<>> options;   // command options (--url, --events)
    std::optional<std::string> config_file;
    bool sandbox = false;
    bool help = false;
    bool version = false;
};

// Command options that are not settings, each taking a value.
inline constexpr std::string_view kCommandOptions[] = {"--url", "--events", "--from", "--scope"};

Result<CommandLine> parse_command_line(int argc, const char* const* argv);

std::string usage();

}  // namespace calrt::app

// calendly-realtime: parse the command line, load the configuration, run the chosen command.
// Start-up problems end the process with one clear line on stderr.
#include "chat_command.hpp"
#include "command_line.hpp"
#include "doctor_command.hpp"
#include "phone_simulate_command.hpp"
#include "service.hpp"
#include "webhooks_command.hpp"

#include "calrt/core/config_loader.hpp"
#include "calrt/core/logging.hpp"

#include <cstdio>
#include <exception>
#include <iostream>

extern char** environ;

namespace {

std::map<std::string, std::string> process_environment() {
    std::map<std::string, std::string> out;
    for (char** entry = environ; entry && *entry; ++entry) {
        std::string_view text(*entry);
        const auto eq = text.find('=');
        if (eq != std::string_view::npos) out.emplace(text.substr(0, eq), text.substr(eq + 1));
    }
    return out;
}

int fail(std::string_view message, int code) {
    std::cerr << "calendly-realtime: " << message << "\n";
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    auto command_line = calrt::app::parse_command_line(argc, argv);
    if (!command_line) return fail(command_line.error().message, 2);
    if (command_line->help) {
        std::cout << calrt::app::usage();
        return 0;
    }
    if (command_line->version) {
        std::cout << "calendly-realtime " << CALRT_VERSION << "\n";
        return 0;
    }

    calrt::ConfigSources sources;
    if (command_line->config_file) sources.config_file = *command_line->config_file;
    sources.environment = process_environment();
    sources.flags = command_line->settings;
    sources.sandbox_flag = command_line->sandbox;
    auto config = calrt::load_config(sources);
    if (!config) return fail(config.error().message, 2);
    calrt::log::configure(config->log.level, config->log.format);

    try {
        if (command_line->command.empty()) return calrt::app::run_service(*config);
        if (command_line->command.front() == "chat") {
            return calrt::app::run_chat_command(*config, {command_line->command.begin() + 1, command_line->command.end()});
        }
        if (command_line->command.front() == "doctor") {
            return calrt::app::run_doctor_command(*config, {command_line->command.begin() + 1, command_line->command.end()});
        }
        if (command_line->command.front() == "phone") {
            return calrt::app::run_phone_command(
                *config, {command_line->command.begin() + 1, command_line->command.end()}, command_line->options);
        }
        if (command_line->command.front() == "webhooks") {
            return calrt::app::run_webhooks_command(
                *config, {command_line->command.begin() + 1, command_line->command.end()}, command_line->options);
        }
        return fail("unknown command '" + command_line->command.front() + "'", 2);
    } catch (const std::exception& e) {
        return fail(e.what(), 1);
    }
}

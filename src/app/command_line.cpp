#include "command_line.hpp"

#include "calrt/core/config_loader.hpp"

#include <algorithm>

namespace calrt::app {
namespace {

Error usage_error(std::string message) {
    return Error::make(ErrorKind::invalid_argument, "usage", std::move(message) + " (see --help)");
}

const SettingSpec* setting_for_flag(std::string_view flag) {
    for (const auto& spec : setting_specs()) {
        if (spec.has_flag() && spec.flag() == flag) return &spec;
    }
    return nullptr;
}

}  // namespace

Result<CommandLine> parse_command_line(int argc, const char* const* argv) {
    CommandLine out;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (!arg.starts_with("--")) {
            out.command.push_back(std::move(arg));
            continue;
        }
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        auto take_value = [&]() -> Result<std::string> {
            if (inline_value) return *inline_value;
            if (i + 1 >= argc) return usage_error(arg + " needs a value");
            return std::string(argv[++i]);
        };
        if (arg == "--help") {
            out.help = true;
        } else if (arg == "--version") {
            out.version = true;
        } else if (arg == "--sandbox") {
            out.sandbox = true;
        } else if (arg == "--config") {
            auto value = take_value();
            if (!value) return value.error();
            out.config_file = *value;
        } else if (const SettingSpec* spec = setting_for_flag(arg)) {
            auto value = take_value();
            if (!value) return value.error();
            out.settings[std::string(spec->name)] = *value;
        } else if (std::find(std::begin(kCommandOptions), std::end(kCommandOptions), arg) != std::end(kCommandOptions)) {
            auto value = take_value();
            if (!value) return value.error();
            out.options[arg] = *value;
        } else {
            for (const auto& secret : setting_specs()) {
                if (!secret.has_flag() && secret.flag() == arg) {
                    return usage_error(std::string(secret.name) +
                                       " is a secret: set it in the environment or .env, not on the command line");
                }
            }
            return usage_error("unknown option " + arg);
        }
    }
    return out;
}

std::string usage() {
    std::string text =
        "calendly-realtime: book meetings with a host by talking or typing to an AI assistant.\n"
        "\n"
        "Usage:\n"
        "  calendly-realtime [--sandbox] [--config FILE] [--SETTING VALUE ...]   run the service\n"
        "  calendly-realtime chat [--sandbox] [--SETTING VALUE ...]               talk to the assistant\n"
        "                                                                          in the terminal\n"
        "  calendly-realtime doctor [--SETTING VALUE ...]                         check the deployment:\n"
        "                                                                          Calendly, OpenAI, webhook\n"
        "  calendly-realtime phone simulate [--from +14155550123] [--sandbox] [--SETTING VALUE ...]\n"
        "                                                                          a phone call to the sandbox\n"
        "                                                                          assistant, typed in the terminal\n"
        "  calendly-realtime webhooks register --url URL [--events a,b] [--scope user|organization]\n"
        "                                 | list [--scope user|organization] | delete URI\n"
        "  calendly-realtime --help | --version\n"
        "\n"
        "Options:\n"
        "  --config FILE   settings file (default: config/default.json when present)\n"
        "  --sandbox       serve sandbox data from the built-in fake Calendly (also implied when\n"
        "                  CALENDLY_API_KEY is unset)\n"
        "  --from NUMBER   phone simulate: the number the call comes from (default +14155550123)\n"
        "\n"
        "Settings, lowest precedence first: defaults < config file < .env < .env.local < environment <\n"
        "flags. Each setting is an environment variable; non-secret ones are also a flag.\n";
    text += settings_help();
    return text;
}

}  // namespace calrt::app

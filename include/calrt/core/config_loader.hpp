#pragma once
// Builds a Config from its layers, lowest precedence first: built-in defaults < config file
// (config/default.json or --config FILE) < .env < .env.local < process environment < command-line
// flags. Every setting is one row of a table (config_settings.cpp) that names it, documents it and
// parses it, so --help, validation and the redacted dump cannot drift apart.

#include "calrt/core/config.hpp"
#include "calrt/core/error.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace calrt {

struct ConfigSources {
    // --config FILE; when unset, <working_dir>/config/default.json is read if it exists.
    std::optional<std::filesystem::path> config_file;
    std::filesystem::path working_dir = ".";  // where .env and .env.local are looked for
    std::map<std::string, std::string> environment;
    std::map<std::string, std::string, std::less<>> flags;  // setting name (e.g. "PORT") -> value
    bool sandbox_flag = false;
};

struct SettingSpec {
    std::string_view name;           // environment name, e.g. "PORT"
    std::string_view json_pointer;   // where it sits in the config file; empty for secrets
    std::string_view default_value;  // as text, for --help
    std::string_view description;
    bool secret = false;             // only from the environment or .env files, always redacted
    std::string_view alias = {};     // an accepted second environment name
    // Parses `value` into the config; the message names what was expected.
    Result<void> (*apply)(Config&, std::string_view value) = nullptr;
    std::string (*show)(const Config&) = nullptr;
    // A secret that is also accepted as a flag (DATABASE_URL, which deployments often pass that
    // way). Other processes can read a command line, so the environment stays the better place.
    bool secret_flag = false;

    // "--port" for "PORT": the command-line flag of a setting that has one.
    std::string flag() const;
    bool has_flag() const noexcept { return !secret || secret_flag; }
};

std::span<const SettingSpec> setting_specs();

// Fails with the first bad value, naming the setting and where it came from.
Result<Config> load_config(const ConfigSources& sources);

// "KEY=value" lines, secrets redacted: safe to log.
std::string describe_config(const Config& config);

// The settings table for --help.
std::string settings_help();

// Parses a .env file (Next.js / dotenv syntax: comments, `export`, single and double quotes).
Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text);

}  // namespace calrt

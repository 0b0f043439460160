#include "calrt/core/config_loader.hpp"

#include "calrt/core/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace calrt {
namespace {

struct RawSetting {
    std::string value;
    std::string source;  // where it came from, for error messages
};
using RawSettings = std::map<std::string, RawSetting, std::less<>>;

Error config_error(std::string message) {
    return Error::make(ErrorKind::invalid_argument, "invalid_configuration", std::move(message));
}

Result<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return config_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string json_scalar_to_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return value.dump();  // numbers
}

void collect_leaf_pointers(const nlohmann::json& node, const std::string& prefix, std::set<std::string>& out) {
    if (node.is_object()) {
        for (const auto& [key, child] : node.items()) collect_leaf_pointers(child, prefix + "/" + key, out);
    } else {
        out.insert(prefix);
    }
}

Result<void> apply_config_file(const std::filesystem::path& path, RawSettings& raw) {
    auto text = read_file(path);
    if (!text) return text.error();
    auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
    if (json.is_discarded() || !json.is_object()) {
        return config_error(path.string() + ": not a JSON object");
    }
    std::set<std::string> leaves;
    collect_leaf_pointers(json, "", leaves);
    for (const auto& spec : setting_specs()) {
        if (spec.json_pointer.empty()) continue;
        std::string pointer(spec.json_pointer);
        if (!leaves.erase(pointer)) continue;
        const auto& value = json.at(nlohmann::json::json_pointer(pointer));
        if (value.is_null()) continue;
        raw[std::string(spec.name)] = {json_scalar_to_text(value), path.string() + " " + pointer};
    }
    // Unknown keys are almost always typos; a silently ignored setting is worse than a refusal.
    if (!leaves.empty()) {
        return config_error(path.string() + ": unknown setting " + *leaves.begin() +
                            " (secrets belong in the environment or .env, not in this file)");
    }
    return {};
}

const SettingSpec* find_spec(std::string_view name) {
    for (const auto& spec : setting_specs()) {
        if (spec.name == name || (!spec.alias.empty() && spec.alias == name)) return &spec;
    }
    return nullptr;
}

// Environment-style layers (.env files, the process environment): only names in the table are taken;
// the canonical name wins over its alias within one layer.
void apply_variables(const std::map<std::string, std::string>& variables, const std::string& source,
                     RawSettings& raw) {
    for (const auto& spec : setting_specs()) {
        auto it = variables.find(std::string(spec.name));
        if (it == variables.end() && !spec.alias.empty()) it = variables.find(std::string(spec.alias));
        if (it == variables.end()) continue;
        raw[std::string(spec.name)] = {it->second, source + " " + it->first};
    }
}

Result<void> apply_dotenv(const std::filesystem::path& path, RawSettings& raw) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
    auto text = read_file(path);
    if (!text) return text.error();
    auto variables = parse_dotenv(*text);
    if (!variables) return config_error(path.string() + ": " + variables.error().message);
    apply_variables(*variables, path.filename().string(), raw);
    return {};
}

std::string unquote_double(std::string_view body) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\' && i + 1 < body.size()) {
            char next = body[++i];
            out += next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next;
        } else {
            out += body[i];
        }
    }
    return out;
}

}  // namespace

std::string SettingSpec::flag() const {
    std::string out = "--";
    for (char c : name) out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

Result<std::map<std::string, std::string>> parse_dotenv(std::string_view text) {
    std::map<std::string, std::string> out;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto newline = text.find('\n');
        std::string_view line = trim(text.substr(0, newline), " \t\r");
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        if (line.empty() || line.front() == '#') continue;
        if (line.starts_with("export ")) line = trim(line.substr(7), " \t\r");
        const auto eq = line.find('=');
        const std::string_view key = trim(line.substr(0, eq), " \t\r");
        if (eq == std::string_view::npos || key.empty() ||
            key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
                std::string_view::npos) {
            return config_error("line " + std::to_string(line_number) + ": expected NAME=value");
        }
        std::string_view value = trim(line.substr(eq + 1), " \t\r");
        std::string parsed;
        if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
            const char quote = value.front();
            const auto close = value.find(quote, 1);
            if (close == std::string_view::npos && quote == '"') {
                // A double-quoted value may span lines, as in dotenv: it ends at the next quote.
                const auto end_quote = text.find('"');
                if (end_quote == std::string_view::npos) {
                    return config_error("line " + std::to_string(line_number) + ": unterminated quote");
                }
                const std::string_view continuation = text.substr(0, end_quote);
                line_number += static_cast<std::size_t>(std::count(continuation.begin(), continuation.end(), '\n')) + 1;
                parsed = unquote_double(std::string(value.substr(1)) + "\n" + std::string(continuation));
                const auto after = text.find('\n', end_quote);
                text = after == std::string_view::npos ? std::string_view{} : text.substr(after + 1);
                out[std::string(key)] = std::move(parsed);
                continue;
            }
            if (close == std::string_view::npos) {
                return config_error("line " + std::to_string(line_number) + ": unterminated quote");
            }
            const std::string_view inner = value.substr(1, close - 1);
            parsed = quote == '"' ? unquote_double(inner) : std::string(inner);
        } else {
            // Unquoted: an inline comment starts at " #".
            const auto comment = value.find(" #");
            parsed = std::string(trim(value.substr(0, comment), " \t\r"));
        }
        out[std::string(key)] = std::move(parsed);
    }
    return out;
}

Result<Config> load_config(const ConfigSources& sources) {
    RawSettings raw;

    std::filesystem::path config_file;
    if (sources.config_file) {
        config_file = *sources.config_file;
        std::error_code ec;
        if (!std::filesystem::exists(config_file, ec)) {
            return config_error("--config " + config_file.string() + ": no such file");
        }
    } else {
        config_file = sources.working_dir / "config" / "default.json";
    }
    std::error_code ec;
    if (std::filesystem::exists(config_file, ec)) {
        if (auto r = apply_config_file(config_file, raw); !r) return r.error();
    }
    if (auto r = apply_dotenv(sources.working_dir / ".env", raw); !r) return r.error();
    if (auto r = apply_dotenv(sources.working_dir / ".env.local", raw); !r) return r.error();
    apply_variables(sources.environment, "environment", raw);
    for (const auto& [name, value] : sources.flags) {
        const SettingSpec* spec = find_spec(name);
        if (!spec) return config_error("unknown setting " + name);
        if (!spec->has_flag()) {
            return config_error(std::string(spec->name) +
                                " is a secret: set it in the environment or .env, not on the command line");
        }
        raw[std::string(spec->name)] = {value, "flag " + spec->flag()};
    }

    Config config;
    config.sandbox_requested = sources.sandbox_flag;
    for (const auto& spec : setting_specs()) {
        auto it = raw.find(spec.name);
        if (it == raw.end()) continue;
        if (auto applied = spec.apply(config, it->second.value); !applied) {
            // The message carries the offending value, except for secrets, whose parser never echoes it.
            return config_error(std::string(spec.name) + " (" + it->second.source +
                                "): " + applied.error().message);
        }
    }
    // Without self-service there is no way to prove an email, so no booking could ever be made.
    if (config.self_service.booking_requires_verified_email && !config.self_service.enabled) {
        return config_error("BOOKING_REQUIRES_VERIFIED_EMAIL needs SELF_SERVICE=true: emails are proven with its codes");
    }
    return config;
}

std::string describe_config(const Config& config) {
    std::string out;
    for (const auto& spec : setting_specs()) {
        out += spec.name;
        out += '=';
        out += spec.show(config);
        out += '\n';
    }
    out += "SANDBOX=";
    out += config.calendly_sandbox() ? "calendly" : "off";
    if (config.realtime_sandbox()) out += config.calendly_sandbox() ? ",realtime" : "realtime";
    out += '\n';
    return out;
}

std::string settings_help() {
    std::ostringstream out;
    for (const auto& spec : setting_specs()) {
        out << "  " << spec.name;
        if (!spec.alias.empty()) out << " (alias " << spec.alias << ")";
        if (spec.has_flag()) out << ", " << spec.flag() << " VALUE";
        out << "\n      " << spec.description;
        if (spec.secret && spec.secret_flag) {
            out << " [secret: prefer the environment or .env; a flag is visible to other processes]";
        } else if (spec.secret) {
            out << " [secret: environment or .env only]";
        } else if (!spec.default_value.empty()) {
            out << " (default " << spec.default_value << ")";
        }
        out << "\n";
    }
    return out.str();
}

}  // namespace calrt

#include "calrt/core/logging.hpp"

#include "calrt/core/json_text.hpp"
#include "calrt/core/utf8.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>

namespace calrt::log {
namespace {

// The one process-wide logging setting besides spdlog's own default logger; set at start-up.
std::atomic<bool> json_format{false};

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
        case Level::trace: return spdlog::level::trace;
        case Level::debug: return spdlog::level::debug;
        case Level::info: return spdlog::level::info;
        case Level::warn: return spdlog::level::warn;
        case Level::error: return spdlog::level::err;
        case Level::critical: return spdlog::level::critical;
        case Level::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

bool needs_quotes(std::string_view text) {
    if (text.empty()) return true;
    for (char c : text) {
        if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
    }
    // Quoted values go through append_json_string, which replaces invalid UTF-8.
    return !is_valid_utf8(text);
}

void append_value(std::string& out, const FieldValue& value, bool json) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>) {
                if (json || needs_quotes(v)) {
                    append_json_string(out, v);
                } else {
                    out += v;
                }
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, double>) {
                char buffer[32];
                const int n = std::snprintf(buffer, sizeof buffer, "%.6g", v);
                out.append(buffer, static_cast<std::size_t>(n));
            } else {
                out += std::to_string(v);
            }
        },
        value);
}

}  // namespace

void configure(std::string_view level, std::string_view format) {
    const bool json = format == "json";
    json_format.store(json);
    // Logs go to stderr so that stdout stays for command output (`chat`, `webhooks list`).
    auto logger = std::make_shared<spdlog::logger>("calrt", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_pattern(json ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})" : "%Y-%m-%dT%H:%M:%S.%eZ %-5l %v",
                        spdlog::pattern_time_type::utc);
    static constexpr std::pair<std::string_view, Level> kLevels[] = {
        {"trace", Level::trace}, {"debug", Level::debug}, {"info", Level::info}, {"warn", Level::warn},
        {"error", Level::error}, {"critical", Level::critical}, {"off", Level::off}};
    Level parsed = Level::info;
    for (const auto& [name, value] : kLevels) {
        if (name == level) parsed = value;
    }
    logger->set_level(to_spdlog(parsed));
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(std::move(logger));
}

bool enabled(Level level) noexcept { return spdlog::default_logger_raw()->should_log(to_spdlog(level)); }

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
    if (!enabled(level)) return;
    const bool json = json_format.load(std::memory_order_relaxed);
    std::string line;
    line.reserve(message.size() + fields.size() * 24 + 16);
    if (json) {
        line += "\"msg\":";
        append_json_string(line, message);
        for (const auto& field : fields) {
            line += ',';
            append_json_string(line, field.key);
            line += ':';
            append_value(line, field.value, true);
        }
    } else {
        line += message;
        for (const auto& field : fields) {
            line += ' ';
            line += field.key;
            line += '=';
            append_value(line, field.value, false);
        }
    }
    spdlog::default_logger_raw()->log(to_spdlog(level), std::string_view(line));
}

}  // namespace calrt::log

#pragma once
// Structured logging over spdlog: a message plus key/value fields, rendered as `msg key=value` text
// or as one JSON object per line (LOG_FORMAT). All project code logs through these functions so
// that both formats stay well-formed.

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <variant>

namespace calrt::log {

enum class Level { trace, debug, info, warn, error, critical, off };

using FieldValue = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

struct Field {
    std::string_view key;
    FieldValue value;

    Field(std::string_view k, std::string_view v) : key(k), value(v) {}
    Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
    Field(std::string_view k, bool v) : key(k), value(v) {}
    Field(std::string_view k, double v) : key(k), value(v) {}
    template <class Int>
        requires std::is_integral_v<Int>
    Field(std::string_view k, Int v) {
        key = k;
        if constexpr (std::is_signed_v<Int>) {
            value = static_cast<std::int64_t>(v);
        } else {
            value = static_cast<std::uint64_t>(v);
        }
    }
};

// Called once at start-up (and by tests). `level` and `format` are validated by the config loader.
void configure(std::string_view level, std::string_view format);

bool enabled(Level level) noexcept;
void write(Level level, std::string_view message, std::initializer_list<Field> fields = {});

inline void trace(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::trace, m, f); }
inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::debug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::info, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::warn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::error, m, f); }

}  // namespace calrt::log

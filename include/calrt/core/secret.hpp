#pragma once
// A credential that must never reach a log line, an error message or a response. It has no stream
// operator and no implicit conversion: the only way to read it is the explicit reveal().

#include <string>
#include <string_view>

namespace calrt {

class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}

    bool empty() const noexcept { return value_.empty(); }
    const std::string& reveal() const noexcept { return value_; }
    // What to print in place of the value.
    std::string_view redacted() const noexcept { return value_.empty() ? "(unset)" : "[redacted]"; }

    friend bool operator==(const Secret&, const Secret&) = default;

private:
    std::string value_;
};

// Constant-time equality for tokens and signatures: the time taken depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace calrt

#pragma once
// Parsers for setting values: each checks one kind of value and says what it expected.

#include "calrt/core/config.hpp"
#include "calrt/core/error.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <array>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::setting_parsers {

inline constexpr std::array<std::string_view, 2> kHttpSchemes = {"http", "https"};
inline constexpr std::array<std::string_view, 2> kWebSocketSchemes = {"ws", "wss"};

Result<void> host(std::string& out, std::string_view value);
Result<void> port(std::uint16_t& out, std::string_view value);
Result<void> unsigned_in(unsigned& out, std::string_view value, unsigned min, unsigned max);
Result<void> size_in(std::size_t& out, std::string_view value, std::size_t min, std::size_t max);
Result<void> millis(std::chrono::milliseconds& out, std::string_view value);
Result<void> non_empty(std::string& out, std::string_view value);
// Comma-separated CIDRs (TRUSTED_PROXIES); empty is none.
Result<void> ip_networks(std::vector<IpNetwork>& out, std::string_view value);
std::string show_ip_networks(const std::vector<IpNetwork>& networks);
Result<void> secret(Secret& out, std::string_view value);
// A secret postgres:// or postgresql:// URL (libpq parses the rest when the store connects); the
// error never repeats the value, which holds a password.
Result<void> database_url(Secret& out, std::string_view value);
Result<void> one_of(std::string& out, std::string_view value, std::initializer_list<std::string_view> allowed);
// An absolute URL with one of `schemes` and a host.
Result<void> url(std::string& out, std::string_view value, std::span<const std::string_view> schemes);
// Empty is allowed (the setting is optional); otherwise as url().
Result<void> optional_url(std::string& out, std::string_view value, std::span<const std::string_view> schemes);
Result<void> boolean(bool& out, std::string_view value);

}  // namespace calrt::setting_parsers

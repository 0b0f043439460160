#pragma once
// Checks on what callers send to /api/calendly: each returns the cleaned value or a 400 Error whose
// message names the field and says what is expected. The checks on values that are not about
// requests (names, emails, times, time zones, text) live in core/input_validation.hpp, shared with
// the assistant's tools.

#include "calrt/core/error.hpp"
#include "calrt/core/input_validation.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calrt::server {

// An action's inputs, from the query string (GET) or the JSON body (POST), read the same way.
class ActionParams {
public:
    static ActionParams from_query(const std::vector<std::pair<std::string, std::string>>& query);
    // Errors: a body that is not a JSON object, or a field that is not a string.
    static Result<ActionParams> from_json_body(const nlohmann::json& body);

    std::optional<std::string_view> get(std::string_view name) const;
    Result<std::string_view> required(std::string_view name) const;
    // Fails naming the first field that is neither "action" nor in `allowed`.
    Result<void> only(std::span<const std::string_view> allowed) const;

    // The few fields whose value is an object or an array (book's "location" and "answers"), as
    // a JSON object holding those that were given; every other field must be a string.
    const nlohmann::json& structured() const noexcept { return structured_; }

    // Whether the caller presented the admin token (a public action may show an admin more).
    bool caller_is_admin() const noexcept { return caller_is_admin_; }
    void set_caller_is_admin(bool admin) noexcept { caller_is_admin_ = admin; }
    // The caller's address bucket (client_address.hpp), for per-address caps; empty when unknown.
    const std::string& client_address() const noexcept { return client_address_; }
    void set_client_address(std::string address) { client_address_ = std::move(address); }

private:
    std::vector<std::pair<std::string, std::string>> values_;
    nlohmann::json structured_ = nlohmann::json::object();
    bool caller_is_admin_ = false;
    std::string client_address_;
};

// A UUID or a resource URI of `collection` ("event_types", "scheduled_events"): returns the UUID.
Result<std::string> validate_resource_id(std::string_view field, std::string_view value,
                                         std::string_view collection);

}  // namespace calrt::server

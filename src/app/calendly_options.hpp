#pragma once
// The Calendly client's options from the service configuration.

#include "calrt/calendly/calendly_client.hpp"
#include "calrt/core/config.hpp"

namespace calrt::app {

inline calendly::CalendlyClientOptions calendly_options(const CalendlyConfig& config) {
    calendly::CalendlyClientOptions options;
    options.base_url = config.api_base_url;
    options.access_token = config.api_key;
    options.user_uri = config.user_uri;
    options.http.request_timeout = config.request_timeout;
    options.http.extra_ca_file = config.extra_ca_file;
    options.retry.max_attempts = static_cast<int>(config.max_attempts);
    options.retry.deadline = config.call_deadline;
    options.cache_ttl = config.cache_ttl;
    options.max_list_items = config.max_list_items;
    options.list_deadline = config.list_deadline;
    options.max_concurrent_calls = config.max_concurrent_calls;
    options.reserved_write_calls = config.reserved_write_calls;
    options.availability_cache_ttl = config.availability_cache_ttl;
    return options;
}

}  // namespace calrt::app

#pragma once
// Helpers for tests of the webhook store: options over a temp dir, parsed deliveries, and
// event-loop threads on which to await the store's coroutine API.

#include "support/io_threads.hpp"
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "calrt/core/metrics.hpp"
#include "calrt/store/webhook_store.hpp"
#include "support/temp_dir.hpp"

namespace calrt::test {

store::StoreOptions store_options(const TempDir& dir, MetricsRegistry& metrics);

// A parsed Calendly delivery of `event` for the n-th invitee.
store::WebhookDelivery webhook_delivery(
    std::string_view event, int n,
    std::chrono::system_clock::time_point received_at = std::chrono::system_clock::now());

// The payload.uri of every stored delivery, walking all pages (what a process test compares with
// the deliveries it saw acknowledged).
std::set<std::string> stored_payload_uris(store::WebhookStore& store);

}  // namespace calrt::test

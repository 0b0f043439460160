// Micro benchmarks of the Calendly library's CPU work on the request path: reading a full page of
// event types (the largest body the service parses on every cache miss) and verifying a webhook
// signature over a typical delivery size. Run with --benchmark_format=json for machine-readable
// results.

#include "calrt/calendly/models.hpp"
#include "calrt/calendly/page.hpp"
#include "calrt/calendly/webhook_signature.hpp"

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <string>

namespace {

using namespace calrt;
using namespace calrt::calendly;

// A page of 100 event types (Calendly's maximum page size) shaped like the API reference example.
std::string event_type_page_text() {
    nlohmann::json collection = nlohmann::json::array();
    for (int i = 0; i < 100; ++i) {
        const std::string id = "EVT" + std::to_string(1000000000000 + i);
        collection.push_back({
            {"uri", "https://api.calendly.com/event_types/" + id},
            {"name", "Meeting type " + std::to_string(i)},
            {"active", i % 7 != 0},
            {"booking_method", "instant"},
            {"slug", "meeting-" + std::to_string(i)},
            {"scheduling_url", "https://calendly.com/acme/meeting-" + std::to_string(i)},
            {"duration", 15 + (i % 4) * 15},
            {"duration_options", nullptr},
            {"kind", "solo"},
            {"pooling_type", nullptr},
            {"type", "StandardEventType"},
            {"color", "#8247f5"},
            {"created_at", "2023-01-02T03:04:05.678123Z"},
            {"updated_at", "2024-02-03T04:05:06.789123Z"},
            {"internal_note", nullptr},
            {"description_plain", "A conversation about your project and how we can help."},
            {"description_html", "<p>A conversation about your project and how we can help.</p>"},
            {"profile",
             {{"type", "User"},
              {"name", "Tamara Jones"},
              {"owner", "https://api.calendly.com/users/AAAAAAAAAAAAAAAA"}}},
            {"secret", false},
            {"deleted_at", nullptr},
            {"admin_managed", false},
            {"locale", "en"},
            {"position", i},
            {"locations", {{{"kind", "zoom_conference"}}}},
            {"custom_questions",
             {{{"name", "What would you like to discuss?"},
               {"type", "text"},
               {"position", 0},
               {"enabled", true},
               {"required", false},
               {"answer_choices", nlohmann::json::array()},
               {"include_other", false}}}},
        });
    }
    const nlohmann::json page = {
        {"collection", collection},
        {"pagination",
         {{"count", 100},
          {"next_page", "https://api.calendly.com/event_types?count=100&page_token=abc"},
          {"previous_page", nullptr},
          {"next_page_token", "abc"},
          {"previous_page_token", nullptr}}}};
    return page.dump();
}

void ParseEventTypePage(benchmark::State& state) {
    const std::string text = event_type_page_text();
    for (auto _ : state) {
        const auto body = nlohmann::json::parse(text);
        auto page = parse_page<EventType>(body);
        if (!page || page->collection.size() != 100) {
            state.SkipWithError("parse failed");
            break;
        }
        benchmark::DoNotOptimize(page);
    }
    state.SetItemsProcessed(state.iterations() * 100);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(ParseEventTypePage);

// The model step alone, from an already parsed JSON document.
void ReadEventTypeModels(benchmark::State& state) {
    const auto body = nlohmann::json::parse(event_type_page_text());
    for (auto _ : state) {
        auto page = parse_page<EventType>(body);
        if (!page) {
            state.SkipWithError("parse failed");
            break;
        }
        benchmark::DoNotOptimize(page);
    }
    state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(ReadEventTypeModels);

void VerifyWebhookSignature4KiB(benchmark::State& state) {
    const Secret key("benchmark-signing-key-0123456789");
    const std::string body(4096, 'x');
    const std::chrono::sys_seconds now{std::chrono::seconds(1'714'555'800)};
    const std::string header = sign_webhook_payload(key, now, body);
    for (auto _ : state) {
        auto result = verify_webhook_signature(header, body, key, now, std::chrono::seconds(180));
        if (!result) {
            state.SkipWithError("verification failed");
            break;
        }
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(VerifyWebhookSignature4KiB);

}  // namespace

BENCHMARK_MAIN();

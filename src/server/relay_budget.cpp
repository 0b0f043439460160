#include "calrt/server/relay_budget.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace calrt::server {
using nlohmann::json;

namespace {

// What a session is metered in.
enum class Meter : std::size_t { messages, audio_seconds, responses, user_items };
constexpr std::size_t kMeters = 4;

constexpr std::size_t index(Meter meter) { return static_cast<std::size_t>(meter); }

// Input audio is PCM16 at 24 kHz mono (the format the relay sets upstream): 48,000 bytes a
// second, and base64 carries 3 bytes in every 4 characters.
double audio_seconds(const json& base64) {
    if (!base64.is_string()) return 0;
    return static_cast<double>(base64.get_ref<const std::string&>().size()) * 3.0 / 4.0 / 48'000.0;
}

double one(const json&) { return 1; }

double appended_audio(const json& event) {
    const auto audio = event.find("audio");
    return audio == event.end() ? 0 : audio_seconds(*audio);
}

// A user message may carry audio too (input_audio parts): the same cost as appending it.
double message_audio(const json& event) {
    const auto item = event.find("item");
    if (item == event.end() || !item->is_object()) return 0;
    const auto content = item->find("content");
    if (content == item->end() || !content->is_array()) return 0;
    double seconds = 0;
    for (const auto& part : *content) {
        if (!part.is_object() || part.value("type", "") != "input_audio") continue;
        if (const auto audio = part.find("audio"); audio != part.end()) seconds += audio_seconds(*audio);
    }
    return seconds;
}

// What an event going upstream costs, besides being one message. Events not listed (audio buffer
// commit/clear, response.cancel, truncation, session.update) cost only the message.
struct EventCost {
    std::string_view type;
    Meter meter;
    double (*amount)(const json& event);
};
constexpr std::array kCosts{
    EventCost{"input_audio_buffer.append", Meter::audio_seconds, appended_audio},
    EventCost{"conversation.item.create", Meter::user_items, one},
    EventCost{"conversation.item.create", Meter::audio_seconds, message_audio},
    EventCost{"response.create", Meter::responses, one},
};

enum class Span { session, minute };

// The limits. A `minute` row is a token bucket of `response_burst` refilled at `allowance` a
// minute; a `session` row caps the meter's total for the session's life.
struct Rule {
    std::string_view limit;
    Meter meter;
    Span span;
    double (*allowance)(const RealtimeRelayConfig& config);
    std::string_view reason;
};
constexpr std::array kRules{
    Rule{"response_rate", Meter::responses, Span::minute,
         [](const RealtimeRelayConfig& c) { return static_cast<double>(c.responses_per_minute); },
         "too many responses requested; wait a minute"},
    Rule{"message_rate", Meter::user_items, Span::minute,
         [](const RealtimeRelayConfig& c) { return static_cast<double>(c.responses_per_minute); },
         "too many messages sent; wait a minute"},
    Rule{"messages", Meter::messages, Span::session,
         [](const RealtimeRelayConfig& c) { return static_cast<double>(c.session_max_messages); },
         "session budget used up: messages"},
    Rule{"audio", Meter::audio_seconds, Span::session,
         [](const RealtimeRelayConfig& c) { return static_cast<double>(c.session_max_audio_seconds); },
         "session budget used up: audio"},
    Rule{"responses", Meter::responses, Span::session,
         [](const RealtimeRelayConfig& c) { return static_cast<double>(c.session_max_responses); },
         "session budget used up: responses"},
};

}  // namespace

SessionBudget::SessionBudget(const RealtimeRelayConfig& config, Clock::time_point now)
    : config_(config), used_(kMeters, 0.0), buckets_(kRules.size()) {
    for (auto& bucket : buckets_) bucket = Bucket{static_cast<double>(std::max(1u, config.response_burst)), now};
}

std::optional<BudgetBreach> SessionBudget::charge(const json* upstream_event, Clock::time_point now) {
    std::array<double, kMeters> cost{};
    cost[index(Meter::messages)] = 1;
    if (upstream_event != nullptr) {
        const std::string type = upstream_event->value("type", "");
        for (const auto& row : kCosts) {
            if (row.type == type) cost[index(row.meter)] += row.amount(*upstream_event);
        }
    }

    // Refill the buckets to `now`, then check every row before charging any.
    const double burst = std::max(1u, config_.response_burst);
    for (std::size_t i = 0; i < kRules.size(); ++i) {
        const Rule& rule = kRules[i];
        const double spent = cost[index(rule.meter)];
        if (rule.span == Span::session) {
            if (spent > 0 && used_[index(rule.meter)] + spent > rule.allowance(config_)) {
                return BudgetBreach{rule.limit, rule.reason};
            }
            continue;
        }
        Bucket& bucket = buckets_[i];
        const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
        bucket.tokens = std::min(burst, bucket.tokens + std::max(0.0, elapsed) * rule.allowance(config_) / 60.0);
        bucket.updated = now;
        if (spent > 0 && bucket.tokens < spent) return BudgetBreach{rule.limit, rule.reason};
    }
    for (std::size_t m = 0; m < kMeters; ++m) used_[m] += cost[m];
    for (std::size_t i = 0; i < kRules.size(); ++i) {
        if (kRules[i].span == Span::minute) buckets_[i].tokens -= cost[index(kRules[i].meter)];
    }
    responses_asked_ += static_cast<std::size_t>(cost[index(Meter::responses)]);
    return std::nullopt;
}

std::optional<BudgetBreach> SessionBudget::count_response_created() {
    if (responses_asked_ > 0) {
        --responses_asked_;
        return std::nullopt;
    }
    double& used = used_[index(Meter::responses)];
    used += 1;
    for (const auto& rule : kRules) {
        if (rule.meter == Meter::responses && rule.span == Span::session && used > rule.allowance(config_)) {
            return BudgetBreach{rule.limit, rule.reason};
        }
    }
    return std::nullopt;
}

std::vector<std::string_view> SessionBudget::limits() {
    std::vector<std::string_view> names;
    for (const auto& rule : kRules) names.push_back(rule.limit);
    return names;
}

}  // namespace calrt::server

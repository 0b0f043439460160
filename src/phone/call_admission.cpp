#include "calrt/phone/call_admission.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>


namespace calrt::phone {

namespace {

constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> entries(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto entry = trimmed(text.substr(0, comma));
        if (!entry.empty()) out.push_back(entry);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

std::optional<unsigned> day(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (unsigned i = 0; i < kDays.size(); ++i) {
        if (lower == kDays[i]) return i;
    }
    return std::nullopt;
}

// "HH:MM" as minutes since midnight, 00:00 to 24:00.
std::optional<unsigned> minute_of_day(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    unsigned hours = 0;
    unsigned minutes = 0;
    if (std::from_chars(text.data(), text.data() + 2, hours).ptr != text.data() + 2) return std::nullopt;
    if (std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr != text.data() + 5) return std::nullopt;
    if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
    return hours * 60 + minutes;
}

Error invalid_hours(std::string_view entry, std::string_view why) {
    return Error::make(ErrorKind::invalid_argument, "invalid_phone_hours",
                       "'" + std::string(entry) + "' " + std::string(why) +
                           "; expected entries like 'mon-fri 09:00-17:00', comma-separated");
}

// Digits with an optional leading '+', separators dropped; empty when anything else is in it.
std::string normalized_number(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            out += c;
        } else if (c == '+' && out.empty() && i == text.find_first_not_of(" ")) {
            out += c;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return {};
        }
    }
    return out == "+" ? std::string{} : out;
}

}  // namespace

Result<PhoneHours> PhoneHours::parse(std::string_view text) {
    PhoneHours hours;
    for (const auto entry : entries(text)) {
        const auto space = entry.find(' ');
        if (space == std::string_view::npos) return invalid_hours(entry, "has no time range");
        const auto days = trimmed(entry.substr(0, space));
        const auto times = trimmed(entry.substr(space + 1));
        const auto dash = days.find('-');
        const auto first = day(days.substr(0, dash));
        const auto last = dash == std::string_view::npos ? first : day(days.substr(dash + 1));
        if (!first || !last) return invalid_hours(entry, "does not name days as mon..sun");
        const auto time_dash = times.find('-');
        if (time_dash == std::string_view::npos) return invalid_hours(entry, "has no HH:MM-HH:MM");
        const auto from = minute_of_day(trimmed(times.substr(0, time_dash)));
        const auto to = minute_of_day(trimmed(times.substr(time_dash + 1)));
        if (!from || !to) return invalid_hours(entry, "has a time that is not HH:MM");
        if (*to <= *from) return invalid_hours(entry, "ends before it starts");
        for (unsigned d = *first;; d = (d + 1) % 7) {
            hours.windows_.push_back(Window{d, *from, *to});
            if (d == *last) break;
        }
    }
    return hours;
}

bool PhoneHours::open_at(Timestamp at, const TimeZone& zone) const {
    if (windows_.empty()) return true;
    const auto wall = std::chrono::floor<std::chrono::minutes>(zone.to_local(at).wall_time());
    const auto local_day = std::chrono::floor<std::chrono::days>(wall);
    // iso_encoding: Monday is 1.
    const unsigned weekday = std::chrono::weekday(local_day).iso_encoding() - 1;
    const auto minute = static_cast<unsigned>((wall - local_day).count());
    return std::any_of(windows_.begin(), windows_.end(), [&](const Window& w) {
        return w.weekday == weekday && minute >= w.from_minute && minute < w.to_minute;
    });
}

Result<BlockedNumbers> BlockedNumbers::parse(std::string_view text) {
    BlockedNumbers blocked;
    for (const auto entry : entries(text)) {
        if (entry == "anonymous") {
            blocked.anonymous_ = true;
            continue;
        }
        const bool prefix = entry.ends_with('*');
        const auto number = normalized_number(prefix ? entry.substr(0, entry.size() - 1) : entry);
        if (number.empty() || (number.size() < 3 && !prefix)) {
            return Error::make(ErrorKind::invalid_argument, "invalid_blocked_numbers",
                               "'" + std::string(entry) +
                                   "' is not a phone number (+14155550123), a beginning of one with * "
                                   "(+1900*) or 'anonymous'");
        }
        (prefix ? blocked.prefixes_ : blocked.exact_).push_back(number);
    }
    return blocked;
}

bool BlockedNumbers::blocks(std::string_view number) const {
    if (number.empty()) return anonymous_;
    const auto normalized = normalized_number(number);
    if (std::find(exact_.begin(), exact_.end(), normalized) != exact_.end()) return true;
    return std::any_of(prefixes_.begin(), prefixes_.end(),
                       [&](const std::string& p) { return normalized.starts_with(p); });
}

}  // namespace calrt::phone

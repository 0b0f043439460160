// The POSIX TZ string in a TZif footer (RFC 8536 section 3.3, POSIX.1-2017 section 8.3), e.g.
// "EST5EDT,M3.2.0,M11.1.0" or "<+0530>-5:30". It decides offsets after the last transition in the
// file, which for "slim" zone files is every time after 2007 or so.

#include "tzif.hpp"

#include <algorithm>
#include <array>
#include <chrono>

namespace calrt::tzif {
namespace {

using namespace std::chrono;

Error invalid(std::string_view text, std::string_view reason) {
    return Error::make(ErrorKind::internal, "invalid_time_zone_data",
                       "the POSIX TZ rule '" + std::string(text) + "' is invalid: " +
                           std::string(reason));
}

class RuleParser {
public:
    explicit RuleParser(std::string_view text) : text_(text) {}

    Result<PosixRule> parse() {
        PosixRule rule;
        std::int32_t offset = 0;
        if (!name(rule.standard.abbreviation)) return fail("bad standard time name");
        if (!hms(offset, 24)) return fail("bad standard time offset");
        // POSIX offsets count hours west of Greenwich; UTC offsets count east.
        rule.standard.utc_offset = -offset;
        if (at_end()) return rule;

        LocalTimeType daylight;
        daylight.is_dst = true;
        if (!name(daylight.abbreviation)) return fail("bad daylight time name");
        daylight.utc_offset = rule.standard.utc_offset + 3600;  // POSIX default: one hour ahead
        if (!at_end() && peek() != ',') {
            if (!hms(offset, 24)) return fail("bad daylight time offset");
            daylight.utc_offset = -offset;
        }
        // zic always writes the rule when there is daylight time; POSIX leaves the default to
        // the implementation, so refuse rather than guess.
        if (!accept(',')) return fail("daylight time has no rule");
        if (!date(rule.dst_start)) return fail("bad daylight time start");
        if (!accept(',')) return fail("missing daylight time end");
        if (!date(rule.dst_end)) return fail("bad daylight time end");
        if (!at_end()) return fail("unexpected text after the rule");
        rule.daylight = std::move(daylight);
        return rule;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    bool accept(char c) {
        if (peek() != c || at_end()) return false;
        ++pos_;
        return true;
    }
    static bool is_digit(char c) { return c >= '0' && c <= '9'; }
    static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

    // Either at least three letters, or <...> with letters, digits, '+' and '-' (e.g. "<+0530>").
    bool name(std::string& out) {
        const std::size_t start = pos_;
        if (accept('<')) {
            while (!at_end() && (is_alpha(peek()) || is_digit(peek()) || peek() == '+' ||
                                 peek() == '-')) {
                ++pos_;
            }
            const std::size_t end = pos_;
            if (!accept('>') || end - start - 1 < 3) return false;
            out.assign(text_.substr(start + 1, end - start - 1));
            return true;
        }
        while (!at_end() && is_alpha(peek())) ++pos_;
        if (pos_ - start < 3) return false;
        out.assign(text_.substr(start, pos_ - start));
        return true;
    }

    bool number(int& out, int max) {
        if (!is_digit(peek())) return false;
        int value = 0;
        while (is_digit(peek())) {
            value = value * 10 + (text_[pos_++] - '0');
            if (value > max) return false;
        }
        out = value;
        return true;
    }

    // [+|-]hh[:mm[:ss]] in seconds.
    bool hms(std::int32_t& out, int max_hours) {
        const bool negative = accept('-');
        if (!negative) accept('+');
        int h = 0, m = 0, s = 0;
        if (!number(h, max_hours)) return false;
        if (accept(':')) {
            if (!number(m, 59)) return false;
            if (accept(':') && !number(s, 59)) return false;
        }
        out = (h * 3600 + m * 60 + s) * (negative ? -1 : 1);
        return true;
    }

    bool date(RuleDate& out) {
        if (accept('J')) {
            out.kind = RuleDate::Kind::julian_no_leap;
            if (!number(out.day, 365) || out.day < 1) return false;
        } else if (accept('M')) {
            out.kind = RuleDate::Kind::month_week_day;
            if (!number(out.month, 12) || out.month < 1 || !accept('.')) return false;
            if (!number(out.week, 5) || out.week < 1 || !accept('.')) return false;
            if (!number(out.day, 6)) return false;
        } else {
            out.kind = RuleDate::Kind::zero_based_day;
            if (!number(out.day, 365)) return false;
        }
        if (accept('/')) return hms(out.time_of_day, 167);  // RFC 8536 extension: -167..167 h
        return true;
    }

    Result<PosixRule> fail(std::string_view reason) const { return invalid(text_, reason); }

    std::string_view text_;
    std::size_t pos_ = 0;
};

bool is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// Local midnight of the rule's date in year y, as days since the epoch.
sys_days date_in_year(const RuleDate& rule, int y) {
    const sys_days january_first{year(y) / January / 1};
    switch (rule.kind) {
        case RuleDate::Kind::julian_no_leap:
            return january_first + days(rule.day - 1 + (is_leap(y) && rule.day >= 60 ? 1 : 0));
        case RuleDate::Kind::zero_based_day:
            return january_first + days(rule.day);
        case RuleDate::Kind::month_week_day: {
            const auto m = month(static_cast<unsigned>(rule.month));
            const auto wd = weekday(static_cast<unsigned>(rule.day));
            if (rule.week == 5) return sys_days{year(y) / m / wd[last]};
            return sys_days{year(y) / m / wd[static_cast<unsigned>(rule.week)]};
        }
    }
    return january_first;
}

}  // namespace

Result<PosixRule> parse_posix_rule(std::string_view text) { return RuleParser(text).parse(); }

const LocalTimeType& PosixRule::type_at(std::int64_t utc_seconds) const {
    if (!daylight) return standard;
    // Keep the calendar arithmetic inside the years std::chrono::year can name.
    constexpr std::int64_t limit = 30'000LL * 366 * 86400;  // year 32767 is the end
    const std::int64_t clamped = std::clamp(utc_seconds, -limit, limit);
    const auto local_day =
        floor<days>(sys_seconds(seconds(clamped + standard.utc_offset)));
    const int y = static_cast<int>(year_month_day{local_day}.year());

    // The switches of the neighbouring years too: rule times may lie days outside their year
    // (up to 167 h), and southern-hemisphere daylight time spans the new year.
    struct Switch {
        std::int64_t at;
        bool to_daylight;
    };
    std::array<Switch, 6> switches{};
    std::size_t n = 0;
    for (int year_of_switch = y - 1; year_of_switch <= y + 1; ++year_of_switch) {
        const auto start_day = date_in_year(dst_start, year_of_switch).time_since_epoch().count();
        const auto end_day = date_in_year(dst_end, year_of_switch).time_since_epoch().count();
        // The start is given in standard time, the end in daylight time (POSIX).
        switches[n++] = {start_day * 86400 + dst_start.time_of_day - standard.utc_offset, true};
        switches[n++] = {end_day * 86400 + dst_end.time_of_day - daylight->utc_offset, false};
    }
    // At equal instants the end sorts first, so that year-round daylight time written as
    // "start Jan 1 00:00, end Dec 31 24:00 + 1 h" stays daylight at the seam.
    std::sort(switches.begin(), switches.end(), [](const Switch& a, const Switch& b) {
        return a.at != b.at ? a.at < b.at : (!a.to_daylight && b.to_daylight);
    });
    bool in_daylight = false;
    for (const Switch& s : switches) {
        if (s.at > clamped) break;
        in_daylight = s.to_daylight;
    }
    return in_daylight ? *daylight : standard;
}

}  // namespace calrt::tzif

#pragma once
// Reading compiled IANA time zone files (TZif, RFC 8536) and the POSIX TZ rule in their footer.
// Private to core: TimeZone (calrt/core/time_zone.hpp) is the public face.

#include "calrt/core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::tzif {

struct LocalTimeType {
    std::int32_t utc_offset = 0;  // seconds east of UTC
    bool is_dst = false;
    std::string abbreviation;
};

// When a POSIX rule switches (POSIX.1-2017 section 8.3 "TZ", with RFC 8536's extension that the
// time of day may be -167..167 hours).
struct RuleDate {
    enum class Kind {
        julian_no_leap,  // "Jn": day 1..365, February 29 is never counted
        zero_based_day,  // "n": day 0..365, February 29 is counted in leap years
        month_week_day,  // "Mm.w.d": weekday d (0 = Sunday) of week w (5 = last) of month m
    };
    Kind kind = Kind::month_week_day;
    int day = 0;
    int week = 0;
    int month = 0;
    std::int32_t time_of_day = 2 * 3600;  // seconds after local midnight; POSIX default 02:00
};

// A rule such as "CET-1CEST,M3.5.0,M10.5.0/3": standard time, and optionally daylight time with
// the dates it starts (in local standard time) and ends (in local daylight time).
struct PosixRule {
    LocalTimeType standard;
    std::optional<LocalTimeType> daylight;
    RuleDate dst_start;
    RuleDate dst_end;

    const LocalTimeType& type_at(std::int64_t utc_seconds) const;
};

struct ZoneRules {
    std::vector<std::int64_t> transitions;        // UTC seconds, strictly ascending
    std::vector<std::uint8_t> transition_types;   // index into `types` per transition
    std::vector<LocalTimeType> types;             // never empty
    std::optional<PosixRule> footer;              // governs times after the last transition

    const LocalTimeType& type_at(std::int64_t utc_seconds) const;
};

// Errors: internal / "invalid_time_zone_data" with the reason.
Result<ZoneRules> parse(std::string_view bytes);
Result<PosixRule> parse_posix_rule(std::string_view text);

}  // namespace calrt::tzif

#pragma once
// IANA time zones from the system's zone files (the tzdata package, /usr/share/zoneinfo), through
// Howard Hinnant's date/tz library (Debian's libdate-tz, built to read the system database): the
// design C++20 standardized as std::chrono::tzdb/zoned_time, which libstdc++ 12 does not ship
// yet. TimeZone keeps the project's error values and name checks around it; when GCC's <chrono>
// has zones, only time_zone.cpp changes (docs/architecture.md, "Time zones").

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}
namespace Posix {
class time_zone;
}

namespace calrt {

// The local time type in effect at an instant.
struct ZoneOffset {
    std::chrono::seconds utc_offset{0};  // east of UTC is positive: CEST is +7200
    bool is_dst = false;
    std::string abbreviation;  // "CEST", "EST", "IST", "+0530": as the zone data spells it
};

// An instant as seen in a zone.
struct LocalTime {
    Timestamp utc;
    ZoneOffset offset;

    std::chrono::local_time<std::chrono::milliseconds> wall_time() const {
        return std::chrono::local_time<std::chrono::milliseconds>(utc.time_since_epoch() +
                                                                  offset.utc_offset);
    }
    // "2024-05-01T11:30:00+02:00"
    std::string to_rfc3339() const { return format_rfc3339(utc, offset.utc_offset); }
};

// An immutable, cheaply copyable loaded zone; safe to share between threads.
class TimeZone {
public:
    // Finds `name` (e.g. "Europe/Berlin") in the system's zone database; the first use reads the
    // database's index, each zone's file is read once, on first use: load through a
    // TimeZoneCache on I/O threads.
    // Errors: invalid_argument / "invalid_time_zone" when the name is not a zone name (empty,
    //         absolute, containing "." or ".." components or other characters) or names no zone;
    //         not_configured / "time_zone_data_missing" when the zone database cannot be read.
    static Result<TimeZone> load(std::string_view name);
    // UTC without touching the file system.
    static TimeZone utc();

    // True for names shaped like IANA zone names: '/'-separated components of letters, digits
    // and "_+-.", none empty or starting with '.', not absolute, at most 255 characters.
    static bool is_valid_name(std::string_view name);

    const std::string& name() const { return name_; }
    ZoneOffset offset_at(Timestamp t) const;
    LocalTime to_local(Timestamp t) const { return LocalTime{t, offset_at(t)}; }
    // The instant a wall-clock time names. A time skipped by a change to daylight time is the
    // instant of the change; a time that happens twice (the hour repeated when daylight time
    // ends) is its first occurrence.
    Timestamp to_utc(std::chrono::local_time<std::chrono::milliseconds> wall) const;

private:
    TimeZone(std::string name, const date::time_zone* zone, std::shared_ptr<const Posix::time_zone> rule)
        : name_(std::move(name)), zone_(zone), rule_(std::move(rule)) {}
    std::string name_;
    const date::time_zone* zone_ = nullptr;  // owned by the date library's database; null: UTC
    // The zone file's rule for times after its last listed transition; null when there is none.
    std::shared_ptr<const Posix::time_zone> rule_;
};

// Zones by name, each looked up once (the lookup searches the database's index and may throw
// inside the library). Owned by whoever needs zones. Thread-safe. Only zones that loaded are
// kept, so its size is bounded by the zones in the database.
class TimeZoneCache {
public:
    TimeZoneCache() = default;
    TimeZoneCache(const TimeZoneCache&) = delete;
    TimeZoneCache& operator=(const TimeZoneCache&) = delete;

    // Same results as TimeZone::load.
    Result<TimeZone> get(std::string_view name);

private:
    std::mutex mutex_;
    std::map<std::string, TimeZone, std::less<>> zones_;
};

}  // namespace calrt

#pragma once
// IANA time zones read from the system's compiled zone files (the tzdata package,
// /usr/share/zoneinfo). libstdc++ 12 has no std::chrono::tzdb, so TimeZone reads TZif files
// (RFC 8536) itself: the 64-bit transition table, and the POSIX TZ rule in the footer for times
// after the last transition.

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

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
    static constexpr std::string_view default_zoneinfo_dir = "/usr/share/zoneinfo";

    // Loads `name` (e.g. "Europe/Berlin") from `zoneinfo_dir`. The file is read synchronously:
    // load through a TimeZoneCache so that each zone is read once.
    // Errors: invalid_argument / "invalid_time_zone" when the name is not a zone name (empty,
    //         absolute, containing "." or ".." components or other characters) or names no zone;
    //         not_configured / "time_zone_data_missing" when zoneinfo_dir does not exist;
    //         internal / "invalid_time_zone_data" when the zone file is corrupt.
    static Result<TimeZone> load(std::string_view name,
                                 const std::filesystem::path& zoneinfo_dir =
                                     std::filesystem::path(default_zoneinfo_dir));
    // Builds a zone from the bytes of a TZif file (what load() reads from disk).
    static Result<TimeZone> from_tzif(std::string name, std::string_view tzif_bytes);
    // UTC without touching the file system.
    static TimeZone utc();

    // True for names shaped like IANA zone names: '/'-separated components of letters, digits
    // and "_+-.", none empty or starting with '.', not absolute, at most 255 characters.
    static bool is_valid_name(std::string_view name);

    const std::string& name() const;
    ZoneOffset offset_at(Timestamp t) const;
    LocalTime to_local(Timestamp t) const { return LocalTime{t, offset_at(t)}; }

private:
    struct Loaded;
    explicit TimeZone(std::shared_ptr<const Loaded> loaded) : loaded_(std::move(loaded)) {}
    std::shared_ptr<const Loaded> loaded_;
};

// Loaded zones by name, each read from disk once. Owned by whoever needs zones (no global cache).
// Thread-safe. Only zones that loaded are kept, so its size is bounded by the zones on disk.
class TimeZoneCache {
public:
    explicit TimeZoneCache(
        std::filesystem::path zoneinfo_dir = std::filesystem::path(TimeZone::default_zoneinfo_dir))
        : zoneinfo_dir_(std::move(zoneinfo_dir)) {}
    TimeZoneCache(const TimeZoneCache&) = delete;
    TimeZoneCache& operator=(const TimeZoneCache&) = delete;

    // Same results as TimeZone::load.
    Result<TimeZone> get(std::string_view name);

private:
    std::filesystem::path zoneinfo_dir_;
    std::mutex mutex_;
    std::map<std::string, TimeZone, std::less<>> zones_;
};

}  // namespace calrt

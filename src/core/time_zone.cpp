#include "calrt/core/time_zone.hpp"

#include "tzif.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

namespace calrt {

struct TimeZone::Loaded {
    std::string name;
    tzif::ZoneRules zone;
};

namespace {

// The largest zone file in tzdata 2024 is about 4 KiB ("fat" files); anything far bigger is not a
// zone file and is not worth reading.
constexpr std::uintmax_t max_zone_file_bytes = 256 * 1024;

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '+' || c == '-' || c == '.';
}

Error unknown_zone(std::string_view name) {
    return Error::make(ErrorKind::invalid_argument, "invalid_time_zone",
                       "'" + std::string(name.substr(0, 64)) +
                           "' is not a known time zone; use an IANA name like Europe/Berlin");
}

}  // namespace

bool TimeZone::is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > 255) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = name.find('/', start);
        const std::string_view component =
            name.substr(start, slash == std::string_view::npos ? std::string_view::npos
                                                               : slash - start);
        // Rejects "", "/abs", "a//b", "a/", ".", "..", ".hidden": the name must stay a plain
        // relative path below the zone directory.
        if (component.empty() || component.front() == '.') return false;
        for (char c : component) {
            if (!is_name_char(c)) return false;
        }
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

Result<TimeZone> TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfo_dir) {
    if (!is_valid_name(name)) return unknown_zone(name);
    std::error_code ec;
    if (!std::filesystem::is_directory(zoneinfo_dir, ec)) {
        return Error::make(ErrorKind::not_configured, "time_zone_data_missing",
                           "the time zone database " + zoneinfo_dir.string() +
                               " is missing; install the tzdata package");
    }
    const auto path = zoneinfo_dir / std::filesystem::path(std::string(name));
    if (!std::filesystem::is_regular_file(path, ec)) return unknown_zone(name);
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size > max_zone_file_bytes) return unknown_zone(name);

    std::ifstream file(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file && !file.eof()) {
        return Error::make(ErrorKind::internal, "time_zone_unreadable",
                           "could not read the time zone file " + path.string());
    }
    // The zone directory also holds tables (zone.tab, tzdata.zi, leapseconds...): only TZif
    // files are zones.
    if (bytes.compare(0, 4, "TZif") != 0) return unknown_zone(name);
    return from_tzif(std::string(name), bytes);
}

Result<TimeZone> TimeZone::from_tzif(std::string name, std::string_view tzif_bytes) {
    auto zone = tzif::parse(tzif_bytes);
    if (!zone) {
        Error error = zone.error();
        error.message = "time zone " + name + ": " + error.message;
        return error;
    }
    return TimeZone(std::make_shared<const Loaded>(Loaded{std::move(name), std::move(*zone)}));
}

TimeZone TimeZone::utc() {
    tzif::ZoneRules zone;
    zone.types.push_back({0, false, "UTC"});
    return TimeZone(std::make_shared<const Loaded>(Loaded{"UTC", std::move(zone)}));
}

const std::string& TimeZone::name() const { return loaded_->name; }

ZoneOffset TimeZone::offset_at(Timestamp t) const {
    const auto utc_seconds =
        std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
    const tzif::LocalTimeType& type = loaded_->zone.type_at(utc_seconds);
    return ZoneOffset{std::chrono::seconds(type.utc_offset), type.is_dst, type.abbreviation};
}

Result<TimeZone> TimeZoneCache::get(std::string_view name) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = zones_.find(name); it != zones_.end()) return it->second;
    }
    // Read outside the lock so one slow disk read does not stall lookups of cached zones.
    auto zone = TimeZone::load(name, zoneinfo_dir_);
    if (!zone) return zone;
    std::lock_guard lock(mutex_);
    return zones_.emplace(std::string(name), std::move(*zone)).first->second;
}

}  // namespace calrt

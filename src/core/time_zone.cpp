#include "calrt/core/time_zone.hpp"

#include <date/date.h>
// ptz.h names hh_mm_ss under using-directives for both date:: and std::chrono::, which C++20 makes
// ambiguous; a declaration in its own namespace is found first and settles it.
namespace Posix {
using date::hh_mm_ss;
}
#include <date/ptz.h>
#include <date/tz.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace calrt {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '+' || c == '-' || c == '.';
}

// Where Debian's libdate-tz (built with USE_OS_TZDB) reads zones from.
constexpr std::string_view kZoneDirectory = "/usr/share/zoneinfo/";

// The date library in its system-database mode knows only the transitions a zone file lists
// (up to 2037) and carries the last offset on for ever. A TZif file's last line is the POSIX TZ
// rule for every later time (RFC 8536 section 3.3); date's ptz.h evaluates it. Its parser takes
// rule times in 0..24 h only, so the ten zones whose rules use RFC 8536's wider range (Gaza,
// Jerusalem, Nuuk, ...) keep their last listed offset after 2037; null then.
std::shared_ptr<const Posix::time_zone> rule_after_last_transition(std::string_view name) {
    std::ifstream file(std::string(kZoneDirectory) + std::string(name), std::ios::binary);
    std::stringstream bytes;
    bytes << file.rdbuf();
    const std::string text = bytes.str();
    const auto end = text.rfind('\n');
    if (end == std::string::npos || end == 0) return nullptr;
    const auto begin = text.rfind('\n', end - 1);
    if (begin == std::string::npos) return nullptr;
    const std::string rule = text.substr(begin + 1, end - begin - 1);
    // Without switching dates ("IST-5:30") the last listed offset is right for ever.
    if (rule.find(',') == std::string::npos) return nullptr;
    try {
        return std::make_shared<const Posix::time_zone>(rule);
    } catch (const std::exception&) {
        return nullptr;
    }
}

// How the library ends the period after a zone's last listed transition: the end of its last year.
bool open_ended(date::sys_seconds end) {
    return end >= date::sys_days{date::year::max() / date::January / 1};
}

// A wall-clock time's instant from the zone's answer about it: a skipped time is the instant of
// the change, a repeated one its first occurrence (date::choose::earliest).
Timestamp resolve(const date::local_info& info, std::chrono::local_time<std::chrono::milliseconds> wall) {
    if (info.result == date::local_info::nonexistent) return Timestamp(info.first.end);
    return Timestamp(wall.time_since_epoch() - info.first.offset);
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
        // Rejects "", "/abs", "a//b", "a/", ".", "..", ".hidden": the library looks names up in
        // its index, but a name that could be a path never reaches it.
        if (component.empty() || component.front() == '.') return false;
        for (char c : component) {
            if (!is_name_char(c)) return false;
        }
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

Result<TimeZone> TimeZone::load(std::string_view name) {
    if (!is_valid_name(name)) return unknown_zone(name);
    try {
        (void)date::get_tzdb();  // reads the database's index on first use
    } catch (const std::exception&) {
        return Error::make(ErrorKind::not_configured, "time_zone_data_missing",
                           "the time zone database (/usr/share/zoneinfo) cannot be read; "
                           "install the tzdata package");
    }
    // The library reports an unknown name by throwing; here that is an expected answer.
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(name);
    } catch (const std::exception&) {
        return unknown_zone(name);
    }
    return TimeZone(std::string(name), zone, rule_after_last_transition(name));
}

TimeZone TimeZone::utc() { return TimeZone("UTC", nullptr, nullptr); }

ZoneOffset TimeZone::offset_at(Timestamp t) const {
    if (zone_ == nullptr) return ZoneOffset{std::chrono::seconds(0), false, "UTC"};
    const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
    date::sys_info info = zone_->get_info(seconds);
    if (rule_ && open_ended(info.end)) info = rule_->get_info(seconds);
    return ZoneOffset{info.offset, info.save != std::chrono::minutes(0), info.abbrev};
}

Timestamp TimeZone::to_utc(std::chrono::local_time<std::chrono::milliseconds> wall) const {
    if (zone_ == nullptr) return Timestamp(wall.time_since_epoch());
    const date::local_seconds local(
        std::chrono::floor<std::chrono::seconds>(wall.time_since_epoch()));
    date::local_info info = zone_->get_info(local);
    if (rule_ && open_ended(info.first.end)) info = rule_->get_info(local);
    return resolve(info, wall);
}

Result<TimeZone> TimeZoneCache::get(std::string_view name) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = zones_.find(name); it != zones_.end()) return it->second;
    }
    // Looked up outside the lock: the first lookup of all reads the database's index.
    auto zone = TimeZone::load(name);
    if (!zone) return zone;
    std::lock_guard lock(mutex_);
    return zones_.emplace(std::string(name), std::move(*zone)).first->second;
}

}  // namespace calrt

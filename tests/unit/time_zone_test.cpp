#include "calrt/core/time_zone.hpp"

#include <gtest/gtest.h>


namespace calrt {
namespace {

using namespace std::chrono;

Timestamp at(std::string_view rfc3339) { return parse_rfc3339(rfc3339).value(); }

TimeZone load(std::string_view name) {
    auto zone = TimeZone::load(name);
    if (!zone) ADD_FAILURE() << zone.error().message;
    return zone ? *zone : TimeZone::utc();
}

void expect_offset(const TimeZone& zone, std::string_view instant, seconds offset,
                   std::string_view abbreviation, bool is_dst) {
    const ZoneOffset actual = zone.offset_at(at(instant));
    EXPECT_EQ(actual.utc_offset, offset) << zone.name() << " at " << instant;
    EXPECT_EQ(actual.abbreviation, abbreviation) << zone.name() << " at " << instant;
    EXPECT_EQ(actual.is_dst, is_dst) << zone.name() << " at " << instant;
}

TEST(TimeZone, NewYorkSwitchesAtTheDocumentedInstantsIn2024) {
    const TimeZone zone = load("America/New_York");
    expect_offset(zone, "2024-03-10T06:59:59Z", -hours(5), "EST", false);
    expect_offset(zone, "2024-03-10T07:00:00Z", -hours(4), "EDT", true);
    expect_offset(zone, "2024-11-03T05:59:59Z", -hours(4), "EDT", true);
    expect_offset(zone, "2024-11-03T06:00:00Z", -hours(5), "EST", false);
}

TEST(TimeZone, BerlinSwitchesAtOneOClockUtcIn2024) {
    const TimeZone zone = load("Europe/Berlin");
    expect_offset(zone, "2024-03-31T00:59:59Z", hours(1), "CET", false);
    expect_offset(zone, "2024-03-31T01:00:00Z", hours(2), "CEST", true);
    expect_offset(zone, "2024-10-27T00:59:59Z", hours(2), "CEST", true);
    expect_offset(zone, "2024-10-27T01:00:00Z", hours(1), "CET", false);
}

TEST(TimeZone, FarFutureDatesPastTheLastListedTransitionFollowTheRule) {
    // The zone files list transitions up to 2037 at most; 2050 comes from the zone's rule.
    const TimeZone new_york = load("America/New_York");
    expect_offset(new_york, "2050-03-13T06:59:59Z", -hours(5), "EST", false);
    expect_offset(new_york, "2050-03-13T07:00:00Z", -hours(4), "EDT", true);
    expect_offset(new_york, "2050-11-06T05:59:59Z", -hours(4), "EDT", true);
    expect_offset(new_york, "2050-11-06T06:00:00Z", -hours(5), "EST", false);
    const TimeZone berlin = load("Europe/Berlin");
    expect_offset(berlin, "2050-03-27T00:59:59Z", hours(1), "CET", false);
    expect_offset(berlin, "2050-03-27T01:00:00Z", hours(2), "CEST", true);
    expect_offset(berlin, "2050-10-30T00:59:59Z", hours(2), "CEST", true);
    expect_offset(berlin, "2050-10-30T01:00:00Z", hours(1), "CET", false);
    // And back: a summer wall time in 2050 is daylight time, a skipped one the change's instant.
    const auto summer_noon = local_days{2050y / July / 1} + hours(12);
    EXPECT_EQ(format_rfc3339(new_york.to_utc(local_time<milliseconds>{summer_noon})),
              "2050-07-01T16:00:00Z");
    const auto skipped = local_days{2050y / March / 27} + hours(2) + minutes(30);
    EXPECT_EQ(format_rfc3339(berlin.to_utc(local_time<milliseconds>{skipped})), "2050-03-27T01:00:00Z");
}

TEST(TimeZone, SouthernHemisphereDaylightTimeSpansTheNewYear) {
    const TimeZone sydney = load("Australia/Sydney");
    expect_offset(sydney, "2050-01-15T00:00:00Z", hours(11), "AEDT", true);
    expect_offset(sydney, "2050-04-02T15:59:59Z", hours(11), "AEDT", true);
    expect_offset(sydney, "2050-04-02T16:00:00Z", hours(10), "AEST", false);
    expect_offset(sydney, "2050-07-15T00:00:00Z", hours(10), "AEST", false);
    expect_offset(sydney, "2050-10-01T15:59:59Z", hours(10), "AEST", false);
    expect_offset(sydney, "2050-10-01T16:00:00Z", hours(11), "AEDT", true);
    expect_offset(sydney, "2050-12-31T23:59:59Z", hours(11), "AEDT", true);
}

TEST(TimeZone, KolkataIsFiveAndAHalfHoursAheadAllYear) {
    const TimeZone zone = load("Asia/Kolkata");
    for (const char* instant : {"2024-01-15T12:00:00Z", "2024-07-15T12:00:00Z",
                                "2050-07-15T12:00:00Z"}) {
        expect_offset(zone, instant, hours(5) + minutes(30), "IST", false);
    }
}

TEST(TimeZone, UtcHasZeroOffsetFromDiskAndWithout) {
    expect_offset(load("UTC"), "2024-07-15T12:00:00Z", seconds(0), "UTC", false);
    expect_offset(TimeZone::utc(), "2024-07-15T12:00:00Z", seconds(0), "UTC", false);
    EXPECT_EQ(TimeZone::utc().name(), "UTC");
}

TEST(TimeZone, TimesBeforeTheFirstTransitionUseLocalMeanTime) {
    // New York kept local mean time (-4:56:02) until railway time on 1883-11-18 at noon.
    const TimeZone zone = load("America/New_York");
    expect_offset(zone, "1883-11-18T16:00:00Z", -(hours(4) + minutes(56) + seconds(2)), "LMT",
                  false);
    expect_offset(zone, "1883-11-18T17:00:00Z", -hours(5), "EST", false);
}

TEST(TimeZone, LinkedNamesLoadTheirTarget) {
    expect_offset(load("US/Eastern"), "2024-07-01T12:00:00Z", -hours(4), "EDT", true);
}

TEST(TimeZone, ToLocalFormatsWallTimeWithOffset) {
    EXPECT_EQ(load("Europe/Berlin").to_local(at("2024-05-01T09:30:00Z")).to_rfc3339(),
              "2024-05-01T11:30:00+02:00");
    EXPECT_EQ(load("America/New_York").to_local(at("2024-01-05T03:15:00Z")).to_rfc3339(),
              "2024-01-04T22:15:00-05:00");
    EXPECT_EQ(load("Asia/Kolkata").to_local(at("2024-05-01T20:00:00Z")).to_rfc3339(),
              "2024-05-02T01:30:00+05:30");
}

TEST(TimeZone, WallTimeIsUtcPlusOffset) {
    const LocalTime local = load("Europe/Berlin").to_local(at("2024-05-01T09:30:00Z"));
    const auto midnight = floor<days>(local.wall_time());
    EXPECT_EQ(year_month_day{midnight}, 2024y / May / 1);
    EXPECT_EQ(local.wall_time() - midnight, hours(11) + minutes(30));
}

TEST(TimeZone, RejectsNamesThatAreNotZoneNames) {
    for (const char* name : {"", "/etc/passwd", "../etc/passwd", "Europe/../../etc/passwd",
                             "Europe/./Berlin", "Europe//Berlin", "Europe/", ".hidden",
                             "Europe/Berlin\n", "Europe/Ber lin", "Europe\\Berlin"}) {
        EXPECT_FALSE(TimeZone::is_valid_name(name)) << name;
        auto zone = TimeZone::load(name);
        ASSERT_FALSE(zone) << name;
        EXPECT_EQ(zone.error().kind, ErrorKind::invalid_argument) << name;
        EXPECT_EQ(zone.error().code, "invalid_time_zone") << name;
    }
    EXPECT_FALSE(TimeZone::is_valid_name(std::string(256, 'a')));
}

TEST(TimeZone, AcceptsTheShapesOfRealZoneNames) {
    for (const char* name : {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires",
                             "Etc/GMT+5", "Etc/GMT-14", "America/Port-au-Prince"}) {
        EXPECT_TRUE(TimeZone::is_valid_name(name)) << name;
    }
}

TEST(TimeZone, UnknownZonesDirectoriesAndTablesAreInvalidArguments) {
    for (const char* name : {"Mars/Olympus_Mons", "America", "zone.tab", "tzdata.zi"}) {
        auto zone = TimeZone::load(name);
        ASSERT_FALSE(zone) << name;
        EXPECT_EQ(zone.error().code, "invalid_time_zone") << name;
        EXPECT_EQ(zone.error().kind, ErrorKind::invalid_argument) << name;
    }
}

TEST(TimeZone, WallTimeSkippedBySpringForwardIsTheInstantOfTheChange) {
    // Berlin, 2024-03-31: 02:00 local became 03:00, so 02:30 never happened.
    const TimeZone zone = load("Europe/Berlin");
    const auto skipped = local_days{2024y / March / 31} + hours(2) + minutes(30);
    EXPECT_EQ(format_rfc3339(zone.to_utc(local_time<milliseconds>{skipped})),
              "2024-03-31T01:00:00Z");
    const auto after = local_days{2024y / March / 31} + hours(3) + minutes(30);
    EXPECT_EQ(format_rfc3339(zone.to_utc(local_time<milliseconds>{after})), "2024-03-31T01:30:00Z");
}

TEST(TimeZone, WallTimeRepeatedByFallBackIsItsFirstOccurrence) {
    // New York, 2024-11-03: 01:30 local happened at 05:30Z (EDT) and again at 06:30Z (EST).
    const TimeZone zone = load("America/New_York");
    const auto twice = local_days{2024y / November / 3} + hours(1) + minutes(30);
    EXPECT_EQ(format_rfc3339(zone.to_utc(local_time<milliseconds>{twice})), "2024-11-03T05:30:00Z");
    const auto once = local_days{2024y / November / 3} + hours(3);
    EXPECT_EQ(format_rfc3339(zone.to_utc(local_time<milliseconds>{once})), "2024-11-03T08:00:00Z");
}

TEST(TimeZone, UtcConvertsWallTimeWithoutTheDatabase) {
    const auto noon = local_days{2024y / July / 1} + hours(12);
    EXPECT_EQ(format_rfc3339(TimeZone::utc().to_utc(local_time<milliseconds>{noon})),
              "2024-07-01T12:00:00Z");
}

TEST(TimeZoneCache, ReturnsTheSameZoneAgain) {
    TimeZoneCache cache;
    auto first = cache.get("Asia/Kolkata");
    auto second = cache.get("Asia/Kolkata");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(second->name(), "Asia/Kolkata");
    EXPECT_EQ(second->offset_at(at("2024-01-01T00:00:00Z")).utc_offset, hours(5) + minutes(30));
}

TEST(TimeZoneCache, PassesOnLoadErrors) {
    TimeZoneCache cache;
    auto zone = cache.get("../etc/passwd");
    ASSERT_FALSE(zone);
    EXPECT_EQ(zone.error().code, "invalid_time_zone");
    ASSERT_TRUE(cache.get("Europe/Berlin"));
}

}  // namespace
}  // namespace calrt

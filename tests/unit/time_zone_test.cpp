#include "calrt/core/time_zone.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

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

// A version 2 TZif file built by hand (RFC 8536 section 3): one placeholder version 1 block,
// then the 64-bit block and the footer.
struct TzifType {
    std::int32_t utc_offset;
    bool is_dst;
    std::string abbreviation;
};

void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}
void put64(std::string& out, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((u >> shift) & 0xFF);
}
void put_header(std::string& out, char version, std::uint32_t timecnt, std::uint32_t typecnt,
                std::uint32_t charcnt) {
    out += "TZif";
    out += version;
    out.append(15, '\0');
    for (std::uint32_t count : {0u, 0u, 0u, timecnt, typecnt, charcnt}) put32(out, count);
}

std::string build_tzif(const std::vector<std::int64_t>& transitions,
                       const std::vector<std::uint8_t>& transition_types,
                       const std::vector<TzifType>& types, std::string_view footer) {
    std::string out;
    put_header(out, '2', 0, 1, 4);
    put32(out, 0);
    out += '\0';
    out += '\0';
    out += std::string("UTC\0", 4);

    std::string chars;
    std::vector<std::uint8_t> indices;
    for (const auto& type : types) {
        indices.push_back(static_cast<std::uint8_t>(chars.size()));
        chars += type.abbreviation;
        chars += '\0';
    }
    put_header(out, '2', static_cast<std::uint32_t>(transitions.size()),
               static_cast<std::uint32_t>(types.size()), static_cast<std::uint32_t>(chars.size()));
    for (auto t : transitions) put64(out, t);
    for (auto index : transition_types) out += static_cast<char>(index);
    for (std::size_t i = 0; i < types.size(); ++i) {
        put32(out, static_cast<std::uint32_t>(types[i].utc_offset));
        out += static_cast<char>(types[i].is_dst ? 1 : 0);
        out += static_cast<char>(indices[i]);
    }
    out += chars;
    out += '\n';
    out += footer;
    out += '\n';
    return out;
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

TEST(TimeZone, FooterRuleGovernsTimesAfterTheLastTransition) {
    // The zone files list transitions up to 2037 at most; 2050 comes from the POSIX rule.
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

TEST(TimeZone, MissingDatabaseSaysToInstallTzdata) {
    auto zone = TimeZone::load("Europe/Berlin", "/nonexistent/zoneinfo");
    ASSERT_FALSE(zone);
    EXPECT_EQ(zone.error().code, "time_zone_data_missing");
    EXPECT_NE(zone.error().message.find("tzdata"), std::string::npos);
}

TEST(TimeZoneData, YearRoundDaylightRuleStaysDaylightAcrossTheNewYear) {
    // RFC 8536 section 3.3.1's example of permanent daylight time.
    auto zone = TimeZone::from_tzif(
        "Test/Permanent", build_tzif({}, {}, {{-5 * 3600, false, "EST"}}, "EST5EDT4,0/0,J365/25"));
    ASSERT_TRUE(zone) << zone.error().message;
    for (const char* instant : {"2030-01-01T03:00:00Z", "2030-01-01T05:00:00Z",
                                "2030-06-30T12:00:00Z", "2030-12-31T23:59:59Z",
                                "2032-02-29T12:00:00Z"}) {
        expect_offset(*zone, instant, -hours(4), "EDT", true);
    }
}

TEST(TimeZoneData, TransitionsThenFooter) {
    // Standard time until 2000-01-01T00:00Z, then a quoted-name footer rule with no DST.
    const std::int64_t y2000 = 946684800;
    auto zone = TimeZone::from_tzif(
        "Test/Quoted", build_tzif({y2000}, {1}, {{3600, false, "OLD"}, {-3 * 3600, false, "-03"}},
                                  "<-03>3"));
    ASSERT_TRUE(zone) << zone.error().message;
    expect_offset(*zone, "1999-12-31T23:59:59Z", hours(1), "OLD", false);
    expect_offset(*zone, "2000-01-01T00:00:00Z", -hours(3), "-03", false);
    expect_offset(*zone, "2040-01-01T00:00:00Z", -hours(3), "-03", false);
}

TEST(TimeZoneData, JulianDayRuleSkipsFebruaryTwentyNinth) {
    // DST from J60 (always March 1) to J300 (always October 27).
    auto zone = TimeZone::from_tzif("Test/Julian", build_tzif({}, {}, {{0, false, "AAA"}},
                                                              "AAA0BBB,J60/0,J300/0"));
    ASSERT_TRUE(zone) << zone.error().message;
    expect_offset(*zone, "2032-02-29T23:59:59Z", seconds(0), "AAA", false);  // leap year
    expect_offset(*zone, "2032-03-01T00:00:00Z", hours(1), "BBB", true);
    expect_offset(*zone, "2031-02-28T23:59:59Z", seconds(0), "AAA", false);
    expect_offset(*zone, "2031-03-01T00:00:00Z", hours(1), "BBB", true);
}

TEST(TimeZoneData, CorruptFilesAreInternalErrors) {
    const std::string good = build_tzif({946684800}, {0}, {{0, false, "UTC"}}, "UTC0");
    ASSERT_TRUE(TimeZone::from_tzif("Test/Good", good));

    std::vector<std::string> corrupt = {
        "", "TZif", good.substr(0, good.size() / 2), good.substr(0, good.size() - 1),
        build_tzif({946684800}, {3}, {{0, false, "UTC"}}, "UTC0"),            // type out of range
        build_tzif({2, 1}, {0, 0}, {{0, false, "UTC"}}, "UTC0"),              // not ascending
        build_tzif({}, {}, {{0, false, "UTC"}}, "garbage!"),                 // bad footer
        build_tzif({}, {}, {{0, false, "UTC"}}, "EST5EDT"),                  // DST without rule
        build_tzif({}, {}, {{0, false, "UTC"}}, "EST5EDT,M13.1.0,M11.1.0"),  // month 13
        build_tzif({}, {}, {{0, false, "UTC"}}, "EST5EDT,M3.2.0,M11.1.0,x"),
        build_tzif({}, {}, {{100'000, false, "UTC"}}, ""),                   // impossible offset
    };
    for (const auto& bytes : corrupt) {
        auto zone = TimeZone::from_tzif("Test/Corrupt", bytes);
        ASSERT_FALSE(zone);
        EXPECT_EQ(zone.error().kind, ErrorKind::internal);
        EXPECT_EQ(zone.error().code, "invalid_time_zone_data");
    }
}

TEST(TimeZoneCache, ReadsEachZoneOnce) {
    std::random_device random;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("calrt-zoneinfo-" + std::to_string(random()));
    std::filesystem::create_directories(dir / "Test");
    std::ofstream(dir / "Test" / "Zone", std::ios::binary)
        << build_tzif({}, {}, {{7200, false, "TST"}}, "TST-2");

    TimeZoneCache cache(dir);
    auto first = cache.get("Test/Zone");
    ASSERT_TRUE(first) << first.error().message;
    std::filesystem::remove_all(dir);
    auto second = cache.get("Test/Zone");  // the file is gone: this answer comes from the cache
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->offset_at(at("2024-01-01T00:00:00Z")).utc_offset, hours(2));
    EXPECT_FALSE(cache.get("Test/Other"));
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

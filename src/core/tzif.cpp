// The binary TZif reader (RFC 8536). Versions 2 and later repeat the data with 64-bit transition
// times after the version 1 block and end with a POSIX TZ string footer; version 1 files (32-bit
// times, no footer) are still read.

#include "tzif.hpp"

#include <algorithm>
#include <limits>

namespace calrt::tzif {
namespace {

constexpr std::size_t header_size = 44;

Error invalid(std::string reason) {
    return Error::make(ErrorKind::internal, "invalid_time_zone_data", std::move(reason));
}

class ByteReader {
public:
    explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

    std::size_t remaining() const { return bytes_.size() - pos_; }
    std::size_t position() const { return pos_; }
    bool has(std::size_t n) const { return remaining() >= n; }

    std::uint32_t u32() {
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) value = (value << 8) | byte();
        return value;
    }
    std::int64_t i64() {
        std::uint64_t value = 0;
        for (int i = 0; i < 8; ++i) value = (value << 8) | byte();
        return static_cast<std::int64_t>(value);
    }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    std::uint8_t byte() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
    std::string_view take(std::size_t n) {
        auto out = bytes_.substr(pos_, n);
        pos_ += n;
        return out;
    }
    void skip(std::size_t n) { pos_ += n; }

private:
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

struct Header {
    char version = 0;
    std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

    std::size_t data_size(std::size_t time_size) const {
        return timecnt * time_size + timecnt + typecnt * 6u + charcnt +
               leapcnt * (time_size + 4) + isstdcnt + isutcnt;
    }
};

Result<Header> read_header(ByteReader& in) {
    if (!in.has(header_size)) return invalid("the file is shorter than a TZif header");
    if (in.take(4) != "TZif") return invalid("the file does not start with \"TZif\"");
    Header header;
    header.version = static_cast<char>(in.byte());
    in.skip(15);
    header.isutcnt = in.u32();
    header.isstdcnt = in.u32();
    header.leapcnt = in.u32();
    header.timecnt = in.u32();
    header.typecnt = in.u32();
    header.charcnt = in.u32();
    // Every count is bounded by the file size, which the caller limits; this keeps the size
    // arithmetic below far from overflow.
    constexpr std::uint32_t sane = 1u << 20;
    if (header.isutcnt > sane || header.isstdcnt > sane || header.leapcnt > sane ||
        header.timecnt > sane || header.typecnt > sane || header.charcnt > sane) {
        return invalid("a count in the header is implausibly large");
    }
    if (header.typecnt == 0) return invalid("the file has no local time types");
    if (header.charcnt == 0) return invalid("the file has no time zone abbreviations");
    if ((header.isstdcnt != 0 && header.isstdcnt != header.typecnt) ||
        (header.isutcnt != 0 && header.isutcnt != header.typecnt)) {
        return invalid("the standard/UT indicator counts do not match the type count");
    }
    return header;
}

Result<ZoneRules> read_data_block(ByteReader& in, const Header& header, std::size_t time_size) {
    if (!in.has(header.data_size(time_size))) return invalid("the data block is truncated");
    if (header.leapcnt != 0) {
        // "right/" zones count leap seconds in their transition times; the service's instants
        // are POSIX time, so such a zone would be off by the accumulated leap seconds.
        return invalid("zones with leap second records are not supported");
    }
    ZoneRules zone;
    zone.transitions.reserve(header.timecnt);
    for (std::uint32_t i = 0; i < header.timecnt; ++i) {
        const std::int64_t t = time_size == 8 ? in.i64() : std::int64_t{in.i32()};
        if (!zone.transitions.empty() && t <= zone.transitions.back()) {
            return invalid("the transition times are not ascending");
        }
        zone.transitions.push_back(t);
    }
    zone.transition_types.reserve(header.timecnt);
    for (std::uint32_t i = 0; i < header.timecnt; ++i) {
        const std::uint8_t type = in.byte();
        if (type >= header.typecnt) return invalid("a transition names a type that does not exist");
        zone.transition_types.push_back(type);
    }
    struct RawType {
        std::int32_t utc_offset;
        bool is_dst;
        std::uint8_t abbreviation_index;
    };
    std::vector<RawType> raw_types;
    raw_types.reserve(header.typecnt);
    for (std::uint32_t i = 0; i < header.typecnt; ++i) {
        RawType raw{in.i32(), in.byte() != 0, in.byte()};
        // RFC 8536 section 3.2: utoff must not be -2^31; real offsets are within a day.
        if (raw.utc_offset == std::numeric_limits<std::int32_t>::min() ||
            raw.utc_offset <= -25 * 3600 || raw.utc_offset >= 26 * 3600) {
            return invalid("a local time type has an impossible UTC offset");
        }
        if (raw.abbreviation_index >= header.charcnt) {
            return invalid("a local time type names an abbreviation outside the table");
        }
        raw_types.push_back(raw);
    }
    const std::string_view abbreviations = in.take(header.charcnt);
    for (const RawType& raw : raw_types) {
        const auto start = abbreviations.substr(raw.abbreviation_index);
        const auto end = start.find('\0');
        if (end == std::string_view::npos) return invalid("an abbreviation is not NUL-terminated");
        zone.types.push_back({raw.utc_offset, raw.is_dst, std::string(start.substr(0, end))});
    }
    in.skip(header.isstdcnt + header.isutcnt);  // only needed to interpret POSIX-style TZ defaults
    return zone;
}

}  // namespace

Result<ZoneRules> parse(std::string_view bytes) {
    ByteReader in(bytes);
    auto v1_header = read_header(in);
    if (!v1_header) return v1_header.error();
    if (v1_header->version == '\0') {
        return read_data_block(in, *v1_header, 4);
    }
    // Version 2+: skip the 32-bit block and read the 64-bit one, which covers all times.
    if (!in.has(v1_header->data_size(4))) return invalid("the version 1 data block is truncated");
    in.skip(v1_header->data_size(4));
    auto header = read_header(in);
    if (!header) return header.error();
    auto zone = read_data_block(in, *header, 8);
    if (!zone) return zone;

    // Footer: "\n" <POSIX TZ string> "\n" (RFC 8536 section 3.3).
    if (!in.has(2) || in.byte() != '\n') return invalid("the footer is missing");
    const std::string_view rest = in.take(in.remaining());
    const auto end = rest.find('\n');
    if (end == std::string_view::npos) return invalid("the footer is not terminated");
    const std::string_view tz_string = rest.substr(0, end);
    if (!tz_string.empty()) {
        auto rule = parse_posix_rule(tz_string);
        if (!rule) return rule.error();
        zone->footer = std::move(*rule);
    }
    return zone;
}

const LocalTimeType& ZoneRules::type_at(std::int64_t utc_seconds) const {
    if (transitions.empty()) {
        // RFC 8536 section 3.2: with no transitions the footer, if any, governs all times.
        return footer ? footer->type_at(utc_seconds) : types.front();
    }
    if (utc_seconds < transitions.front()) return types.front();
    if (utc_seconds > transitions.back() && footer) return footer->type_at(utc_seconds);
    const auto after = std::upper_bound(transitions.begin(), transitions.end(), utc_seconds);
    const auto index = static_cast<std::size_t>(after - transitions.begin()) - 1;
    return types[transition_types[index]];
}

}  // namespace calrt::tzif

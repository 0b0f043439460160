#include "calrt/core/time.hpp"

#include <cstdlib>

namespace calrt {
namespace {

using namespace std::chrono;

// Longer than any RFC 3339 timestamp worth reading; also bounds what an error message echoes.
constexpr std::size_t max_timestamp_length = 64;

class Rfc3339Parser {
public:
    explicit Rfc3339Parser(std::string_view text) : text_(text) {}

    Result<Timestamp> parse() {
        if (text_.size() > max_timestamp_length) return fail("it is too long");
        int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
        if (!digits(4, y) || !literal('-') || !digits(2, mo) || !literal('-') || !digits(2, d)) {
            return fail("the date must look like 2024-05-01");
        }
        if (!literal('T') && !literal('t')) {
            return fail("the date and the time must be separated by 'T'");
        }
        if (!digits(2, h) || !literal(':') || !digits(2, mi) || !literal(':') || !digits(2, s)) {
            return fail("the time must look like 09:30:00");
        }
        milliseconds fraction{0};
        if (literal('.')) {
            int count = 0;
            int ms = 0;
            while (pos_ < text_.size() && is_digit(text_[pos_])) {
                if (count < 3) ms = ms * 10 + (text_[pos_] - '0');
                ++count;
                ++pos_;
            }
            if (count == 0) return fail("a '.' must be followed by fractional digits");
            for (int i = count; i < 3; ++i) ms *= 10;
            fraction = milliseconds(ms);
        }
        seconds offset{0};
        if (literal('Z') || literal('z')) {
            // UTC
        } else if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
            const bool negative = text_[pos_++] == '-';
            int oh = 0, om = 0;
            if (!digits(2, oh) || !literal(':') || !digits(2, om)) {
                return fail("the offset must look like +02:00");
            }
            if (oh > 23 || om > 59) return fail("the offset is out of range");
            offset = hours(oh) + minutes(om);
            if (negative) offset = -offset;
        } else {
            return fail("the UTC offset is missing (add 'Z' or an offset like +02:00)");
        }
        if (pos_ != text_.size()) return fail("there is text after the offset");

        const year_month_day date{year(y), month(static_cast<unsigned>(mo)),
                                  day(static_cast<unsigned>(d))};
        if (!date.month().ok()) return fail("the month is out of range");
        if (!date.ok()) return fail("that day does not exist in that month");
        if (h > 23) return fail("the hour is out of range");
        if (mi > 59) return fail("the minute is out of range");
        if (s == 60) return fail("leap seconds are not supported");
        if (s > 59) return fail("the second is out of range");

        const sys_days midnight{date};
        return Timestamp(midnight) + hours(h) + minutes(mi) + seconds(s) + fraction - offset;
    }

private:
    static bool is_digit(char c) { return c >= '0' && c <= '9'; }

    bool digits(int count, int& out) {
        if (text_.size() - pos_ < static_cast<std::size_t>(count)) return false;
        int value = 0;
        for (int i = 0; i < count; ++i) {
            const char c = text_[pos_ + static_cast<std::size_t>(i)];
            if (!is_digit(c)) return false;
            value = value * 10 + (c - '0');
        }
        pos_ += static_cast<std::size_t>(count);
        out = value;
        return true;
    }

    bool literal(char c) {
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    Result<Timestamp> fail(std::string_view reason) const {
        std::string shown(text_.substr(0, max_timestamp_length));
        if (text_.size() > max_timestamp_length) shown += "...";
        return Error::make(ErrorKind::invalid_argument, "invalid_timestamp",
                           "'" + shown + "' is not an RFC 3339 timestamp: " + std::string(reason) +
                               " (expected e.g. 2024-05-01T09:30:00Z)");
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

void append_padded(std::string& out, long long value, int width) {
    char buffer[24];
    int n = 0;
    auto v = static_cast<unsigned long long>(value < 0 ? -value : value);
    do {
        buffer[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0 && n < 20);
    while (n < width) buffer[n++] = '0';
    if (value < 0) out += '-';
    while (n > 0) out += buffer[--n];
}

// "YYYY-MM-DDThh:mm:ss" of a wall time given as a count of milliseconds; returns the leftover ms.
long long append_date_time(std::string& out, sys_time<milliseconds> wall) {
    const auto midnight = floor<days>(wall);
    const year_month_day date{midnight};
    const hh_mm_ss<milliseconds> time{wall - midnight};
    append_padded(out, static_cast<int>(date.year()), 4);
    out += '-';
    append_padded(out, static_cast<unsigned>(date.month()), 2);
    out += '-';
    append_padded(out, static_cast<unsigned>(date.day()), 2);
    out += 'T';
    append_padded(out, time.hours().count(), 2);
    out += ':';
    append_padded(out, time.minutes().count(), 2);
    out += ':';
    append_padded(out, time.seconds().count(), 2);
    return time.subseconds().count();
}

}  // namespace

Result<Timestamp> parse_rfc3339(std::string_view text) { return Rfc3339Parser(text).parse(); }

std::string format_rfc3339(Timestamp t) {
    std::string out;
    out.reserve(24);
    const long long ms = append_date_time(out, t);
    if (ms != 0) {
        out += '.';
        append_padded(out, ms, 3);
    }
    out += 'Z';
    return out;
}

std::string format_rfc3339(Timestamp t, seconds utc_offset) {
    const minutes offset = round<minutes>(utc_offset);
    std::string out;
    out.reserve(29);
    const long long ms = append_date_time(out, t + offset);
    if (ms != 0) {
        out += '.';
        append_padded(out, ms, 3);
    }
    const long long total = offset.count();
    out += total < 0 ? '-' : '+';
    append_padded(out, std::llabs(total) / 60, 2);
    out += ':';
    append_padded(out, std::llabs(total) % 60, 2);
    return out;
}

std::string format_calendly_time(Timestamp t) {
    std::string out;
    out.reserve(27);
    const long long ms = append_date_time(out, t);
    out += '.';
    append_padded(out, ms * 1000, 6);
    out += 'Z';
    return out;
}

Timestamp SystemClock::now() const { return time_point_cast<milliseconds>(system_clock::now()); }

}  // namespace calrt

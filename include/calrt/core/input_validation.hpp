#pragma once
// Checks on values people give us (through /api/calendly or through the assistant's tools): each
// returns the cleaned value or an invalid_argument Error whose message names the field and says
// what is expected, with the same problem as a per-field detail.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "calrt/core/error.hpp"
#include "calrt/core/time.hpp"
#include "calrt/core/time_zone.hpp"

namespace calrt {

// invalid_argument / `code`, message "<field>: <problem>", details [{field, problem}].
Error invalid_field(std::string_view field, std::string code, std::string problem);

// A person's name: 1 to 200 characters of UTF-8 without control characters.
Result<std::string> validate_name(std::string_view field, std::string_view value);
// A practical subset of RFC 5321 addresses: local@domain.tld, no spaces, quotes or controls.
Result<std::string> validate_email(std::string_view field, std::string_view value);
// An RFC 3339 date-time with an offset.
Result<Timestamp> validate_time(std::string_view field, std::string_view value);
// An IANA time zone name that names a zone in `zones`.
Result<TimeZone> validate_time_zone(std::string_view field, std::string_view value,
                                    TimeZoneCache& zones);
// Valid UTF-8 of at most `max_characters` code points.
Result<std::string> validate_text(std::string_view field, std::string_view value,
                                  std::size_t max_characters);

// Number of UTF-8 code points, or nullopt when `text` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace calrt

#include "calrt/server/relay_time_zone.hpp"

#include <boost/url/parse.hpp>

#include "calrt/core/input_validation.hpp"

namespace calrt::server {

Result<std::optional<TimeZone>> relay_time_zone(std::string_view target, TimeZoneCache& zones) {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return std::optional<TimeZone>();  // the HTTP session routed it: not ours to refuse
    const auto params = url->params();
    const auto tz = params.find("tz");
    if (tz == params.end() || (*tz).value.empty()) return std::optional<TimeZone>();
    auto zone = validate_time_zone("tz", (*tz).value, zones);
    if (!zone) return zone.error();
    return std::optional<TimeZone>(std::move(*zone));
}

}  // namespace calrt::server

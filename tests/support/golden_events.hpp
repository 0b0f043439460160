#pragma once
// The golden Realtime server events (testing/golden/realtime/*.json) and the structural check
// that keeps the fake Realtime server's events shaped like them.

#include <nlohmann/json.hpp>
#include <string>

namespace calrt::test {

// testing/golden/realtime/<name>.json, parsed; throws when it is missing or not JSON.
nlohmann::json golden_realtime_event(const std::string& name);

// Empty when `actual` has every key of `golden` with the same JSON type, recursively (objects key
// by key, arrays element by element against the golden's first element; a null in the golden
// accepts any type; integers and floats are both numbers where the golden has a float);
// otherwise the path of the first difference and what differs.
std::string shape_difference(const nlohmann::json& golden, const nlohmann::json& actual,
                             const std::string& path = "");

}  // namespace calrt::test

#pragma once
// Structural comparison of a fake's JSON with a golden sample of the real service's (testing/golden):
// the wire facts a fake must keep, whatever its values.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace calrt::test {

// Where `actual` lacks a key of `golden` or has a different JSON type there, recursively: one line
// per difference ("resource.locations[0].kind: missing"). A null on either side matches anything
// (the field is nullable). Numbers match numbers. In arrays of objects, the keys every element of
// the golden has must be in every element of `actual`; other arrays only need the same element type.
std::vector<std::string> shape_differences(const nlohmann::json& golden, const nlohmann::json& actual,
                                           const std::string& path = "");

// testing/golden/<relative>, parsed; throws std::runtime_error when it cannot be read.
nlohmann::json read_golden(const std::filesystem::path& relative);

}  // namespace calrt::test

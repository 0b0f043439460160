#include "support/golden_events.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace calrt::test {

using nlohmann::json;

json golden_realtime_event(const std::string& name) {
    const std::string path = std::string(CALRT_SOURCE_DIR) + "/testing/golden/realtime/" + name + ".json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("no golden event " + path);
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = json::parse(text.str(), nullptr, false);
    if (parsed.is_discarded()) throw std::runtime_error("golden event " + path + " is not JSON");
    return parsed;
}

namespace {

std::string kind_of(const json& value) {
    if (value.is_number_float()) return "float";
    if (value.is_number()) return "integer";
    return value.type_name();
}

bool same_kind(const json& golden, const json& actual) {
    if (golden.is_null()) return true;
    if (golden.is_number_float()) return actual.is_number();
    return kind_of(golden) == kind_of(actual);
}

}  // namespace

std::string shape_difference(const json& golden, const json& actual, const std::string& path) {
    const std::string where = path.empty() ? "(top)" : path;
    if (!same_kind(golden, actual))
        return where + ": expected " + kind_of(golden) + ", got " + kind_of(actual);
    if (golden.is_object()) {
        for (const auto& [key, value] : golden.items()) {
            if (!actual.contains(key)) return path + "." + key + ": missing";
            if (auto difference = shape_difference(value, actual[key], path + "." + key);
                !difference.empty())
                return difference;
        }
    }
    if (golden.is_array() && !golden.empty()) {
        if (actual.empty()) return where + ": empty array, the golden has elements";
        for (std::size_t i = 0; i < actual.size(); ++i) {
            if (auto difference =
                    shape_difference(golden[0], actual[i], path + "[" + std::to_string(i) + "]");
                !difference.empty())
                return difference;
        }
    }
    return {};
}

}  // namespace calrt::test

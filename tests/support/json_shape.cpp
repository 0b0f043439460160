#include "support/json_shape.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace calrt::test {
namespace {

using nlohmann::json;

std::string type_name(const json& value) {
    if (value.is_number()) return "number";  // integer or not: JSON has one number type
    return value.type_name();
}

// The keys every object element of `array` has.
std::vector<std::string> common_keys(const json& array) {
    std::vector<std::string> keys;
    bool first = true;
    for (const auto& element : array) {
        if (!element.is_object()) continue;
        if (first) {
            for (const auto& item : element.items()) keys.push_back(item.key());
            first = false;
        } else {
            std::erase_if(keys, [&](const std::string& key) { return !element.contains(key); });
        }
    }
    return keys;
}

}  // namespace

std::vector<std::string> shape_differences(const json& golden, const json& actual, const std::string& path) {
    std::vector<std::string> out;
    const std::string here = path.empty() ? "(root)" : path;
    if (golden.is_null() || actual.is_null()) return out;
    if (type_name(golden) != type_name(actual)) {
        out.push_back(here + ": " + type_name(actual) + " where the golden has " + type_name(golden));
        return out;
    }
    if (golden.is_object()) {
        for (const auto& item : golden.items()) {
            const std::string child = path.empty() ? item.key() : path + "." + item.key();
            if (!actual.contains(item.key())) {
                out.push_back(child + ": missing");
                continue;
            }
            for (auto& difference : shape_differences(item.value(), actual.at(item.key()), child)) {
                out.push_back(std::move(difference));
            }
        }
    } else if (golden.is_array() && !golden.empty() && !actual.empty()) {
        const json& model = golden.front();
        for (std::size_t i = 0; i < actual.size(); ++i) {
            const std::string child = here + "[" + std::to_string(i) + "]";
            if (type_name(model) != type_name(actual[i]) && !actual[i].is_null()) {
                out.push_back(child + ": " + type_name(actual[i]) + " where the golden has " + type_name(model));
                continue;
            }
            if (!model.is_object()) continue;
            for (const std::string& key : common_keys(golden)) {
                if (!actual[i].contains(key)) {
                    out.push_back(child + "." + key + ": missing");
                    continue;
                }
                for (auto& difference : shape_differences(model.at(key), actual[i].at(key), child + "." + key)) {
                    out.push_back(std::move(difference));
                }
            }
        }
    }
    return out;
}

json read_golden(const std::filesystem::path& relative) {
    const auto path = std::filesystem::path(CALRT_SOURCE_DIR) / "testing" / "golden" / relative;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

}  // namespace calrt::test

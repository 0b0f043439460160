// Build-time converter: reads a YAML document (docs/openapi.yaml) and writes a C++ source file that
// defines it as compact JSON, so the service serves GET /api/openapi.json from one source without
// parsing YAML at run time.
//   yaml_to_json INPUT.yaml OUTPUT.cpp NAMESPACE VARIABLE
// Scalars resolve as YAML 1.2's core schema says: quoted ones are strings; plain true/false, null/~,
// integers and floats get their JSON types; everything else is a string.
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

namespace {

nlohmann::json plain_scalar(const std::string& text) {
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    static const std::regex integer("[-+]?[0-9]+");
    static const std::regex floating(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(text, integer)) {
        long long value = 0;
        const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
        const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size()) return value;
    }
    if (std::regex_match(text, floating)) return std::stod(text);
    return text;
}

nlohmann::json to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
            return nullptr;
        case YAML::NodeType::Scalar:
            // "!" is the tag of a quoted (or block) scalar: always a string.
            return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : plain_scalar(node.Scalar());
        case YAML::NodeType::Sequence: {
            nlohmann::json array = nlohmann::json::array();
            for (const auto& item : node) array.push_back(to_json(item));
            return array;
        }
        case YAML::NodeType::Map: {
            // ordered_json would keep the key order, but clients compare documents, not bytes.
            nlohmann::json object = nlohmann::json::object();
            for (const auto& entry : node) object[entry.first.as<std::string>()] = to_json(entry.second);
            return object;
        }
        case YAML::NodeType::Undefined:
            break;
    }
    throw std::runtime_error("undefined YAML node");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: " << argv[0] << " INPUT.yaml OUTPUT.cpp NAMESPACE VARIABLE\n";
        return 2;
    }
    try {
        const std::string json = to_json(YAML::LoadFile(argv[1])).dump();
        const std::string delimiter = "calrt_json";
        if (json.find(")" + delimiter + "\"") != std::string::npos) {
            throw std::runtime_error("the document contains the raw string delimiter");
        }
        std::ofstream out(argv[2]);
        out << "// Generated from " << argv[1] << " by cmake/tools/yaml_to_json.cpp; do not edit.\n"
            << "#include <string_view>\n\nnamespace " << argv[3] << " {\n\nextern const std::string_view "
            << argv[4] << ";\nconst std::string_view " << argv[4] << " = R\"" << delimiter << "(" << json
            << ")" << delimiter << "\";\n\n}  // namespace " << argv[3] << "\n";
        return out ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << argv[1] << ": " << e.what() << "\n";
        return 1;
    }
}

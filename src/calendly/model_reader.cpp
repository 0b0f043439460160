#include "model_reader.hpp"

#include <cmath>

namespace calrt::calendly::detail {
namespace {

const nlohmann::json& empty_object() {
    static const nlohmann::json empty = nlohmann::json::object();
    return empty;
}

std::optional<std::int64_t> as_int(const nlohmann::json& value) {
    if (value.is_number_integer()) return value.get<std::int64_t>();
    if (value.is_number_float()) {
        // 30.0 is still thirty minutes; 30.5 is not an integer field's value.
        const double d = value.get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

}  // namespace

Error bad_calendly_response(std::string what) {
    return Error::make(ErrorKind::upstream_failed, "bad_calendly_response",
                       "Calendly's answer could not be used: " + std::move(what));
}

ModelReader::ModelReader(const nlohmann::json& object, std::string path,
                         std::optional<Error>& first_error)
    : object_(&object), path_(std::move(path)), first_error_(first_error) {}

const nlohmann::json* ModelReader::find(std::string_view key) const {
    if (!object_->is_object()) return nullptr;
    const auto it = object_->find(key);
    return it == object_->end() ? nullptr : &*it;
}

std::string ModelReader::path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ModelReader::fail(std::string_view key, std::string_view problem) {
    fail_at(path_of(key), problem);
}

void ModelReader::fail_at(const std::string& path, std::string_view problem) {
    if (!first_error_) first_error_ = bad_calendly_response(path + " " + std::string(problem));
}

std::string ModelReader::required_string(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr || value->is_null()) {
        fail(key, "is missing");
        return {};
    }
    if (!value->is_string()) {
        fail(key, "is not a string");
        return {};
    }
    return value->get<std::string>();
}

std::optional<std::string> ModelReader::optional_string(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr || !value->is_string()) return std::nullopt;
    return value->get<std::string>();
}

bool ModelReader::required_bool(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr || value->is_null()) {
        fail(key, "is missing");
        return false;
    }
    if (!value->is_boolean()) {
        fail(key, "is not a boolean");
        return false;
    }
    return value->get<bool>();
}

std::optional<bool> ModelReader::optional_bool(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr || !value->is_boolean()) return std::nullopt;
    return value->get<bool>();
}

std::int64_t ModelReader::required_int(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr || value->is_null()) {
        fail(key, "is missing");
        return 0;
    }
    const auto number = as_int(*value);
    if (!number) {
        fail(key, "is not an integer");
        return 0;
    }
    return *number;
}

std::optional<std::int64_t> ModelReader::optional_int(std::string_view key) {
    const nlohmann::json* value = find(key);
    return value == nullptr ? std::nullopt : as_int(*value);
}

Timestamp ModelReader::required_time(std::string_view key) {
    const std::string text = required_string(key);
    if (!ok()) return {};
    auto time = parse_rfc3339(text);
    if (!time) {
        fail(key, "is not an RFC 3339 timestamp");
        return {};
    }
    return *time;
}

std::optional<Timestamp> ModelReader::optional_time(std::string_view key) {
    const auto text = optional_string(key);
    if (!text) return std::nullopt;
    auto time = parse_rfc3339(*text);
    return time ? std::optional<Timestamp>(*time) : std::nullopt;
}

std::vector<std::string> ModelReader::string_list(std::string_view key) {
    std::vector<std::string> out;
    const nlohmann::json* array = find(key);
    if (array == nullptr || !array->is_array()) return out;
    for (const auto& element : *array) {
        if (element.is_string()) out.push_back(element.get<std::string>());
    }
    return out;
}

ModelReader ModelReader::required_object(std::string_view key) {
    const nlohmann::json* value = find(key);
    if (value == nullptr || value->is_null()) {
        fail(key, "is missing");
        return ModelReader(empty_object(), path_of(key), first_error_);
    }
    if (!value->is_object()) {
        fail(key, "is not an object");
        return ModelReader(empty_object(), path_of(key), first_error_);
    }
    return ModelReader(*value, path_of(key), first_error_);
}

const nlohmann::json* ModelReader::optional_object(std::string_view key) const {
    const nlohmann::json* value = find(key);
    return value != nullptr && value->is_object() ? value : nullptr;
}

}  // namespace calrt::calendly::detail

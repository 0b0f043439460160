#include "calrt/tools/argument_validation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace calrt::tools {
namespace {

using nlohmann::json;

std::string join(std::string_view parent, std::string_view child) {
    if (parent.empty()) return std::string(child);
    return std::string(parent) + "." + std::string(child);
}

bool is_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number_at(std::string_view text, std::size_t pos, std::size_t length) {
    int value = 0;
    for (std::size_t i = pos; i < pos + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Unicode code points, which is what JSON Schema's minLength/maxLength count.
std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool has_type(const json& value, std::string_view type) {
    if (type == "object") return value.is_object();
    if (type == "string") return value.is_string();
    if (type == "boolean") return value.is_boolean();
    if (type == "array") return value.is_array();
    if (type == "number") return value.is_number();
    if (type == "integer") {
        // JSON Schema counts 30.0 as an integer: a number with no fractional part.
        if (value.is_number_integer()) return true;
        return value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>();
    }
    if (type == "null") return value.is_null();
    return true;  // a type this validator does not know constrains nothing
}

std::string article_for(std::string_view type) {
    return (type == "object" || type == "integer" || type == "array") ? "an " : "a ";
}

std::optional<ArgumentProblem> check(const json& schema, const json& value,
                                     const std::string& path);

std::optional<ArgumentProblem> check_object(const json& schema, const json& value,
                                            const std::string& path) {
    if (auto required = schema.find("required"); required != schema.end() && required->is_array()) {
        for (const auto& name : *required) {
            if (name.is_string() && !value.contains(name.get<std::string>())) {
                return ArgumentProblem{join(path, name.get<std::string>()), "is required"};
            }
        }
    }
    const auto properties = schema.find("properties");
    const bool has_properties = properties != schema.end() && properties->is_object();
    for (const auto& [name, member] : value.items()) {
        if (has_properties) {
            if (auto property = properties->find(name); property != properties->end()) {
                if (auto problem = check(*property, member, join(path, name))) return problem;
                continue;
            }
        }
        if (auto extra = schema.find("additionalProperties");
            extra != schema.end() && extra->is_boolean() && !extra->get<bool>()) {
            return ArgumentProblem{join(path, name), "is not a known argument"};
        }
    }
    return std::nullopt;
}

std::optional<ArgumentProblem> check_string(const json& schema, const std::string& text,
                                            const std::string& path) {
    const std::size_t length = code_points(text);
    if (auto min = schema.find("minLength");
        min != schema.end() && min->is_number_unsigned() && length < min->get<std::size_t>()) {
        return ArgumentProblem{
            path, "must be at least " + std::to_string(min->get<std::size_t>()) + " characters"};
    }
    if (auto max = schema.find("maxLength");
        max != schema.end() && max->is_number_unsigned() && length > max->get<std::size_t>()) {
        return ArgumentProblem{
            path, "must be at most " + std::to_string(max->get<std::size_t>()) + " characters"};
    }
    if (auto format = schema.find("format"); format != schema.end() && format->is_string()) {
        const auto& name = format->get_ref<const std::string&>();
        if (name == "email" && !is_email_address(text))
            return ArgumentProblem{path, "must be an email address"};
        if (name == "date-time" && !is_rfc3339_date_time(text)) {
            return ArgumentProblem{
                path, "must be an RFC 3339 date-time with an offset, like 2030-01-31T15:00:00Z"};
        }
        if (name == "date" && !is_calendar_date(text)) {
            return ArgumentProblem{path, "must be a date like 2030-01-31"};
        }
    }
    return std::nullopt;
}

std::optional<ArgumentProblem> check_number(const json& schema, double number,
                                            const std::string& path) {
    if (auto min = schema.find("minimum");
        min != schema.end() && min->is_number() && number < min->get<double>()) {
        return ArgumentProblem{path, "must be at least " + min->dump()};
    }
    if (auto max = schema.find("maximum");
        max != schema.end() && max->is_number() && number > max->get<double>()) {
        return ArgumentProblem{path, "must be at most " + max->dump()};
    }
    return std::nullopt;
}

std::optional<ArgumentProblem> check(const json& schema, const json& value,
                                     const std::string& path) {
    if (!schema.is_object()) return std::nullopt;
    if (auto type = schema.find("type"); type != schema.end() && type->is_string()) {
        const auto& name = type->get_ref<const std::string&>();
        if (!has_type(value, name))
            return ArgumentProblem{path, "must be " + article_for(name) + name};
    }
    if (auto allowed = schema.find("enum"); allowed != schema.end() && allowed->is_array()) {
        if (std::find(allowed->begin(), allowed->end(), value) == allowed->end()) {
            std::string choices;
            for (const auto& choice : *allowed)
                choices += (choices.empty() ? "" : ", ") + choice.dump();
            return ArgumentProblem{path, "must be one of " + choices};
        }
    }
    if (value.is_object()) return check_object(schema, value, path);
    if (value.is_string()) return check_string(schema, value.get_ref<const std::string&>(), path);
    if (value.is_number()) return check_number(schema, value.get<double>(), path);
    if (value.is_array()) {
        if (auto items = schema.find("items"); items != schema.end()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (auto problem = check(*items, value[i], path + "[" + std::to_string(i) + "]"))
                    return problem;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::string ArgumentProblem::describe() const {
    return path.empty() ? "the arguments " + message : path + ": " + message;
}

std::optional<ArgumentProblem> validate_arguments(const json& schema, const json& arguments) {
    return check(schema, arguments, "");
}

bool is_email_address(std::string_view text) {
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos)
        return false;
    if (at > 64 || text.size() > 254) return false;  // RFC 5321 4.5.3.1 limits
    if (std::any_of(text.begin(), text.end(), [](char c) {
            return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';';
        })) {
        return false;
    }
    const std::string_view domain = text.substr(at + 1);
    if (domain.find('.') == std::string_view::npos) return false;
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= domain.size(); ++i) {
        if (i == domain.size() || domain[i] == '.') {
            const std::string_view label = domain.substr(label_start, i - label_start);
            if (label.empty() || label.front() == '-' || label.back() == '-') return false;
            label_start = i + 1;
        }
    }
    return true;
}

bool is_calendar_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    if (!is_digits(text.substr(0, 4)) || !is_digits(text.substr(5, 2)) ||
        !is_digits(text.substr(8, 2)))
        return false;
    const int year = number_at(text, 0, 4);
    const int month = number_at(text, 5, 2);
    const int day = number_at(text, 8, 2);
    return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// RFC 3339 section 5.6: full-date "T" partial-time time-offset, T and Z in either case.
bool is_rfc3339_date_time(std::string_view text) {
    if (text.size() < 20 || !is_calendar_date(text.substr(0, 10))) return false;
    if (text[10] != 'T' && text[10] != 't') return false;
    const std::string_view time = text.substr(11);
    if (time[2] != ':' || time[5] != ':') return false;
    if (!is_digits(time.substr(0, 2)) || !is_digits(time.substr(3, 2)) ||
        !is_digits(time.substr(6, 2)))
        return false;
    if (number_at(time, 0, 2) > 23 || number_at(time, 3, 2) > 59 || number_at(time, 6, 2) > 60)
        return false;
    std::size_t pos = 8;
    if (pos < time.size() && time[pos] == '.') {
        const std::size_t digits_start = ++pos;
        while (pos < time.size() && time[pos] >= '0' && time[pos] <= '9') ++pos;
        if (pos == digits_start) return false;
    }
    const std::string_view offset = time.substr(pos);
    if (offset == "Z" || offset == "z") return true;
    if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || offset[3] != ':')
        return false;
    if (!is_digits(offset.substr(1, 2)) || !is_digits(offset.substr(4, 2))) return false;
    return number_at(offset, 1, 2) <= 23 && number_at(offset, 4, 2) <= 59;
}

}  // namespace calrt::tools

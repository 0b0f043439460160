#include "doctor_report.hpp"

#include <algorithm>
#include <cctype>

namespace calrt::app {
namespace {

constexpr std::string_view kMask = "[redacted]";

// OpenAI's 401 message quotes part of the key it was given ("Incorrect API key provided:
// sk-proj-****abcd"); a word starting "sk-" is masked whole.
std::string mask_key_shaped_words(std::string text) {
    std::size_t at = 0;
    while ((at = text.find("sk-", at)) != std::string::npos) {
        const bool word_start = at == 0 || std::isspace(static_cast<unsigned char>(text[at - 1])) ||
                                text[at - 1] == '"' || text[at - 1] == '\'' || text[at - 1] == '(';
        if (!word_start) {
            at += 3;
            continue;
        }
        std::size_t end = at;
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '"' &&
               text[end] != '\'' && text[end] != ')') {
            ++end;
        }
        text.replace(at, end - at, kMask);
        at += kMask.size();
    }
    return text;
}

}  // namespace

std::string_view to_string(CheckStatus status) noexcept {
    switch (status) {
        case CheckStatus::ok: return "OK";
        case CheckStatus::warn: return "WARN";
        case CheckStatus::fail: return "FAIL";
        case CheckStatus::info: return "INFO";
    }
    return "INFO";
}

DoctorReport::DoctorReport(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {
    std::erase_if(secrets_, [](const std::string& secret) { return secret.empty(); });
}

void DoctorReport::add(CheckResult result) { results_.push_back(std::move(result)); }

bool DoctorReport::failed() const noexcept {
    return std::any_of(results_.begin(), results_.end(),
                       [](const CheckResult& r) { return r.status == CheckStatus::fail; });
}

std::string DoctorReport::masked(std::string text) const {
    for (const auto& secret : secrets_) {
        std::size_t at = 0;
        while ((at = text.find(secret, at)) != std::string::npos) {
            text.replace(at, secret.size(), kMask);
            at += kMask.size();
        }
    }
    return mask_key_shaped_words(std::move(text));
}

void DoctorReport::print(std::ostream& out) const {
    std::size_t width = 0;
    for (const auto& result : results_) width = std::max(width, result.check.size());
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const auto& result : results_) {
        ++counts[static_cast<std::size_t>(result.status)];
        std::string line(to_string(result.status));
        line.resize(6, ' ');
        line += result.check;
        line.resize(6 + width + 2, ' ');
        line += result.found;
        if (!result.remedy.empty()) line += " To fix: " + result.remedy;
        // One line per check, whatever an upstream message held.
        std::replace(line.begin(), line.end(), '\n', ' ');
        out << masked(std::move(line)) << "\n";
    }
    out << "doctor: " << counts[static_cast<std::size_t>(CheckStatus::fail)] << " failed, "
        << counts[static_cast<std::size_t>(CheckStatus::warn)] << " warnings, "
        << counts[static_cast<std::size_t>(CheckStatus::ok)] << " ok"
        << (failed() ? ": something the service needs does not work (exit status 1)\n"
                     : ": everything the service needs works (exit status 0)\n");
}

}  // namespace calrt::app

#pragma once
// What `calendly-realtime doctor` found: one line per check, each OK, WARN, FAIL or INFO, with
// what was found and what the host should do. The exit status is 1 when any check FAILed (a part
// the service needs does not work), else 0: warnings (a model shutting down soon, a meeting type
// bookable only by link) do not fail the run.
//
// Secrets never reach the output: the checks never put them in a line, and print() masks every
// configured secret anyway, and anything shaped like an OpenAI key ("sk-..."), should an upstream
// message ever quote one.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace calrt::app {

enum class CheckStatus { ok, warn, fail, info };

std::string_view to_string(CheckStatus status) noexcept;  // "OK", "WARN", "FAIL", "INFO"

struct CheckResult {
    CheckStatus status = CheckStatus::info;
    std::string check;  // what was checked, e.g. "calendly.token"
    std::string found;  // what was found, one sentence or two
    std::string remedy;  // what to do about it; empty when nothing
};

class DoctorReport {
  public:
    // `secrets` are masked wherever they would appear in a printed line.
    explicit DoctorReport(std::vector<std::string> secrets);

    void add(CheckResult result);
    void ok(std::string check, std::string found) { add({CheckStatus::ok, std::move(check), std::move(found), {}}); }
    void warn(std::string check, std::string found, std::string remedy) {
        add({CheckStatus::warn, std::move(check), std::move(found), std::move(remedy)});
    }
    void fail(std::string check, std::string found, std::string remedy) {
        add({CheckStatus::fail, std::move(check), std::move(found), std::move(remedy)});
    }
    void info(std::string check, std::string found, std::string remedy = {}) {
        add({CheckStatus::info, std::move(check), std::move(found), std::move(remedy)});
    }

    const std::vector<CheckResult>& results() const noexcept { return results_; }
    bool failed() const noexcept;
    int exit_code() const noexcept { return failed() ? 1 : 0; }

    // One line per result ("FAIL  openai.model  found. To fix: remedy"), then a summary line.
    void print(std::ostream& out) const;

  private:
    std::string masked(std::string text) const;

    std::vector<std::string> secrets_;
    std::vector<CheckResult> results_;
};

}  // namespace calrt::app

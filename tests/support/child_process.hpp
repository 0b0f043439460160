#pragma once
// Runs the service binary as a child process with a chosen environment, for tests of start-up,
// signals and exit codes. Its stdout and stderr are captured together, line by line. The child
// is killed if the thread that created it ends first (a crashed test leaves no service behind).

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace calrt::test {

class ChildProcess {
public:
    // With `pipe_stdin`, the child's standard input is a stream socket fed by write_stdin();
    // otherwise it is inherited.
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& environment, const std::string& working_dir = ".",
                 bool pipe_stdin = false);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Reads stderr until a line contains `needle`; returns that line, or nullopt on EOF/timeout.
    std::optional<std::string> wait_for_line(const std::string& needle,
                                             std::chrono::milliseconds timeout = std::chrono::seconds(10));
    void signal(int signal_number);
    // Writes to the child's standard input (pipe_stdin only); close_stdin() sends end of input.
    void write_stdin(std::string_view text);
    void close_stdin();
    // Waits for exit; returns the exit code, or nullopt on timeout (the child keeps running until
    // terminate() or the destructor, which kills it).
    std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // SIGTERM, then SIGKILL when the child has not exited within `grace`.
    void terminate(std::chrono::milliseconds grace);
    // Everything read from stderr so far, plus whatever remains until EOF.
    std::string drain_stderr(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    pid_t pid() const { return pid_; }

private:
    bool read_more(std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    int stderr_fd_ = -1;
    int stdin_fd_ = -1;
    std::string buffer_;
    std::size_t consumed_ = 0;
    bool exited_ = false;
};

}  // namespace calrt::test

#include "support/child_process.hpp"

#include <poll.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace calrt::test {

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& environment, const std::string& working_dir,
                           bool pipe_stdin) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    int stdin_fds[2] = {-1, -1};
    // A socket pair rather than a pipe: send() with MSG_NOSIGNAL cannot raise SIGPIPE in the test
    // when the child has already exited. The child polls it exactly as it would a pipe.
    if (pipe_stdin && ::socketpair(AF_UNIX, SOCK_STREAM, 0, stdin_fds) != 0) {
        throw std::runtime_error("socketpair failed");
    }
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : environment) env_strings.push_back(k + "=" + v);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);

    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // A test or benchmark that crashes must not leave its service running: the child dies
        // with the thread that started it (tests and benchmarks start children from their main
        // thread), or at once if that is already gone.
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(125);
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        ::dup2(pipe_fds[1], STDERR_FILENO);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        if (pipe_stdin) {
            ::dup2(stdin_fds[0], STDIN_FILENO);
            ::close(stdin_fds[0]);
            ::close(stdin_fds[1]);
        }
        if (::chdir(working_dir.c_str()) != 0) ::_exit(126);
        ::execve(program.c_str(), argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    stderr_fd_ = pipe_fds[0];
    if (pipe_stdin) {
        ::close(stdin_fds[0]);
        stdin_fd_ = stdin_fds[1];
    }
}

void ChildProcess::write_stdin(std::string_view text) {
    if (stdin_fd_ < 0) throw std::logic_error("the child's stdin is not a pipe (or is closed)");
    while (!text.empty()) {
        const auto n = ::send(stdin_fd_, text.data(), text.size(), MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("writing to the child's stdin failed");
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void ChildProcess::close_stdin() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    stdin_fd_ = -1;
}

ChildProcess::~ChildProcess() {
    if (!exited_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (stderr_fd_ >= 0) ::close(stderr_fd_);
    close_stdin();
}

bool ChildProcess::read_more(std::chrono::milliseconds timeout) {
    pollfd fd{stderr_fd_, POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char chunk[4096];
    const auto n = ::read(stderr_fd_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> ChildProcess::wait_for_line(const std::string& needle, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        std::size_t newline;
        while ((newline = buffer_.find('\n', consumed_)) != std::string::npos) {
            std::string line = buffer_.substr(consumed_, newline - consumed_);
            consumed_ = newline + 1;
            if (line.find(needle) != std::string::npos) return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !read_more(left)) return std::nullopt;
    }
}

void ChildProcess::signal(int signal_number) { ::kill(pid_, signal_number); }

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            if (WIFEXITED(status)) return WEXITSTATUS(status);
            return 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return std::nullopt;
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
    signal(SIGTERM);
    if (!wait_exit(grace)) signal(SIGKILL);
}

std::string ChildProcess::drain_stderr(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline && read_more(std::chrono::milliseconds(200))) {
    }
    return buffer_;
}

}  // namespace calrt::test

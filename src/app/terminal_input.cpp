#include "terminal_input.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <iostream>

namespace calrt::app {
namespace asio = boost::asio;

TerminalInput::TerminalInput(asio::any_io_executor executor) {
    interactive_ = ::isatty(STDIN_FILENO) == 1;
    struct stat info {};
    if (::fstat(STDIN_FILENO, &info) != 0) {  // no standard input at all
        at_end_ = true;
        return;
    }
    if (S_ISREG(info.st_mode)) {
        regular_file_ = true;
        return;
    }
    // Asio makes the descriptor non-blocking, a flag of the open file description. A terminal's
    // description is usually shared by stdin, stdout and stderr (and the shell), so reopen the
    // terminal or pipe as a description of its own; only what cannot be reopened (a socket) is
    // duplicated.
    int own = ::open("/proc/self/fd/0", O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (own < 0) own = ::dup(STDIN_FILENO);
    if (own < 0) {
        at_end_ = true;
        return;
    }
    stream_.emplace(executor, own);
}

std::optional<std::string> TerminalInput::take_buffered_line(bool at_end) {
    const auto newline = buffer_.find('\n');
    std::size_t length = newline;
    if (newline == std::string::npos) {
        if (buffer_.size() >= kMaxLineBytes) {
            length = kMaxLineBytes;
        } else if (at_end && !buffer_.empty()) {
            length = buffer_.size();
        } else {
            return std::nullopt;
        }
    }
    std::string line = buffer_.substr(0, length);
    buffer_.erase(0, newline == std::string::npos ? length : newline + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

asio::awaitable<std::optional<std::string>> TerminalInput::next_line() {
    for (;;) {
        if (auto line = take_buffered_line(at_end_)) co_return line;
        if (at_end_) co_return std::nullopt;
        std::array<char, 4096> chunk{};
        if (regular_file_) {
            std::cin.read(chunk.data(), chunk.size());
            const auto got = std::cin.gcount();
            buffer_.append(chunk.data(), static_cast<std::size_t>(got));
            if (got == 0 || !std::cin) at_end_ = true;
            continue;
        }
        auto [ec, got] =
            co_await stream_->async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
        buffer_.append(chunk.data(), got);
        if (ec) at_end_ = true;  // end of file, or the terminal went away: the same to the chat
    }
}

}  // namespace calrt::app

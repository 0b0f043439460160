#pragma once
// Lines typed (or piped) into the terminal chat, read without blocking the I/O thread, so the
// assistant's answer keeps streaming while the person types. A terminal, pipe or socket is read
// through Asio; a regular file (`chat < script.txt`) cannot be polled, so it is read directly (it
// never blocks).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace calrt::app {

class TerminalInput {
  public:
    // Reads standard input through a descriptor of its own (the terminal or pipe reopened), so
    // that making it non-blocking leaves stdout, stderr and the shell's terminal as they were.
    explicit TerminalInput(boost::asio::any_io_executor executor);
    TerminalInput(const TerminalInput&) = delete;
    TerminalInput& operator=(const TerminalInput&) = delete;

    // The next line without its line ending; nullopt at end of input. Lines longer than
    // kMaxLineBytes are cut there (the rest becomes the next line).
    boost::asio::awaitable<std::optional<std::string>> next_line();

    bool interactive() const noexcept { return interactive_; }  // a terminal: show prompts

    static constexpr std::size_t kMaxLineBytes = 16 * 1024;

  private:
    std::optional<std::string> take_buffered_line(bool at_end);

    std::optional<boost::asio::posix::stream_descriptor> stream_;  // terminal or pipe
    bool regular_file_ = false;
    bool interactive_ = false;
    bool at_end_ = false;
    std::string buffer_;
};

}  // namespace calrt::app

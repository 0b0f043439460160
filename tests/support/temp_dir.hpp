#pragma once
// A fresh directory under the system temp dir, removed with everything in it when the object dies.

#include <filesystem>

namespace calrt::test {

class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace calrt::test

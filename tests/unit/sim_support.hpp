#pragma once
// Small helpers shared by the unit tests of sim/: a scratch directory that removes itself,
// and a way to get the message of the InputError a call throws.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/error.hpp"

namespace corridor::test {

/// A fresh directory under the system temporary directory, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("corridor-unit-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + tag);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  /// Writes `text` to `name` inside the directory and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    REQUIRE(out.good());
    return p;
  }

 private:
  std::filesystem::path path_;
};

/// Runs `f` and returns the message of the corridor::InputError it throws; fails the test
/// if it throws nothing (any other exception propagates and fails the test too).
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const corridor::InputError& e) {
    return e.what();
  }
  FAIL("expected corridor::InputError, but nothing was thrown");
  return {};
}

}  // namespace corridor::test

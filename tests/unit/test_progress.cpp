// Unit tests for sim/progress (the live progress line) and sim/version (the build stamp).
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/progress.hpp"
#include "sim/version.hpp"
#include "sim_support.hpp"

namespace {

/// Runs `f` with stderr (fd 2) sent to a file, and returns what was written.
template <class F>
std::string captured_stderr(F&& f) {
  corridor::test::TempDir dir("progress");
  const auto path = dir / "stderr.txt";
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(saved >= 0);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
  f();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("the progress line is shown only when asked for and stderr is a terminal") {
  CHECK_FALSE(corridor::Progress(false).enabled());
  CHECK(corridor::Progress(true).enabled() == corridor::stderr_is_terminal());
}

TEST_CASE("a progress line on a stderr that is not a terminal writes nothing") {
  const std::string out = captured_stderr([] {
    CHECK_FALSE(corridor::stderr_is_terminal());  // a file now
    corridor::Progress p(true);
    CHECK_FALSE(p.enabled());
    for (int day = 0; day < 5; ++day) p.update("2020-01-01", day, 5, 100, 100 * (day + 1));
    p.clear();
  });
  CHECK(out.empty());
}

TEST_CASE("the build is stamped with a version and a git commit") {
  const std::string version = corridor::software_version();
  const std::string commit = corridor::git_commit();
  CHECK_FALSE(version.empty());
  CHECK(std::count(version.begin(), version.end(), '.') == 2);  // MAJOR.MINOR.PATCH
  CHECK_FALSE(commit.empty());
}

// Unit tests for sim/progress (the progress line: live on a terminal, one line per tenth of the
// run in a log) and sim/version (the build stamp).
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

/// The lines of `text` (without their newlines).
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

using Mode = corridor::Progress::Mode;

TEST_CASE("progress is off under --quiet, a live line on a terminal, and one line per tenth otherwise") {
  CHECK(corridor::Progress(false).mode() == Mode::kOff);
  CHECK(corridor::Progress(true).mode() == (corridor::stderr_is_terminal() ? Mode::kLive : Mode::kBatch));
}

TEST_CASE("on a stderr that is not a terminal, a run prints one progress line per completed tenth") {
  const std::string out = captured_stderr([] {
    CHECK_FALSE(corridor::stderr_is_terminal());  // a file now
    corridor::Progress p(true);
    CHECK(p.mode() == Mode::kBatch);
    for (int day = 0; day < 25; ++day) p.update("2020-01-01", day, 25, 100 + day, 100 * (day + 1));
    p.clear();
  });
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == 10);
  // Day d (0-based) completes the tenth floor(10 (d + 1) / 25): days 3, 5, 8, ..., 25 of 25.
  const int days[] = {3, 5, 8, 10, 13, 15, 18, 20, 23, 25};
  for (std::size_t k = 0; k < lines.size(); ++k) {
    INFO(lines[k]);
    const int d = days[k];
    CHECK(lines[k].rfind(fmt::format("progress: {}% day={}/25 date=2020-01-01 active_agents={} agent_steps_per_s=",
                                     d * 100 / 25, d, 100 + d - 1),
                         0) == 0);
    CHECK(lines[k].find(" elapsed=0:00:0") != std::string::npos);
    CHECK(lines[k].find(" eta=") != std::string::npos);
  }
  CHECK(lines.back().find("eta=0:00:00") != std::string::npos);  // nothing left at the end
  CHECK(out.find('\r') == std::string::npos);                  // no terminal control in a log
}

TEST_CASE("a restarted run reports only the tenths it completes itself") {
  const std::string out = captured_stderr([] {
    corridor::Progress p(true, 12, 1200);  // restarted at day 12 of 25, 1200 agent-steps done
    for (int day = 12; day < 25; ++day) p.update("2020-01-01", day, 25, 100, 100 * (day + 1));
  });
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == 6);  // tenths 5 (day 13) to 10
  CHECK(lines.front().rfind("progress: 52% day=13/25 ", 0) == 0);
}

TEST_CASE("with --quiet nothing is printed, terminal or not") {
  const std::string out = captured_stderr([] {
    corridor::Progress p(false);
    for (int day = 0; day < 5; ++day) p.update("2020-01-01", day, 5, 100, 100 * (day + 1));
    p.clear();
  });
  CHECK(out.empty());
}

TEST_CASE("durations print as H:MM:SS, as SLURM prints times") {
  CHECK(corridor::clock_duration(0) == "0:00:00");
  CHECK(corridor::clock_duration(59.6) == "0:01:00");
  CHECK(corridor::clock_duration(3723.4) == "1:02:03");
  CHECK(corridor::clock_duration(100 * 3600) == "100:00:00");
  CHECK(corridor::clock_duration(-5) == "0:00:00");
}

TEST_CASE("the build is stamped with a version and a git commit") {
  const std::string version = corridor::software_version();
  const std::string commit = corridor::git_commit();
  CHECK_FALSE(version.empty());
  CHECK(std::count(version.begin(), version.end(), '.') == 2);  // MAJOR.MINOR.PATCH
  CHECK_FALSE(commit.empty());
}

// Unit tests for the sweep directory's lock (sim/sweep/lock.hpp). A resume's check of each
// finished run's inputs is tested through the binary (tests/python/test_sweep.py).
#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "sim/sweep/lock.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::SweepLock;
using corridor::test::input_error_of;
using corridor::test::TempDir;

TEST_CASE("a whole sweep holds its directory alone, SLURM tasks share it", "[sweep]") {
  TempDir d("sweeplock");
  const auto dir = d / "s";
  {
    SweepLock whole(dir, SweepLock::Mode::kExclusive);
    CHECK_THAT(input_error_of([&] { SweepLock again(dir, SweepLock::Mode::kExclusive); }),
               Contains("another corridor sweep is using this directory (pid "));
    CHECK_THAT(input_error_of([&] { SweepLock task(dir, SweepLock::Mode::kShared); }), Contains("another corridor sweep"));
  }
  {
    SweepLock t1(dir, SweepLock::Mode::kShared);
    SweepLock t2(dir, SweepLock::Mode::kShared);
    CHECK_THAT(input_error_of([&] { SweepLock whole(dir, SweepLock::Mode::kExclusive); }),
               Contains("another corridor sweep"));
  }
  CHECK_NOTHROW(SweepLock(dir, SweepLock::Mode::kExclusive));  // released with its holders
  const auto file = d.write("f", "x");
  CHECK_THAT(input_error_of([&] { SweepLock l(file, SweepLock::Mode::kExclusive); }),
             Contains("cannot use it as the sweep directory"));
}

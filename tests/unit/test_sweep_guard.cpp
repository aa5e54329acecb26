// Unit tests for the sweep directory's guards: its lock (sim/sweep/lock.hpp) and the record
// of the inputs its runs were made from (sim/sweep/fingerprint.hpp).
#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>

#include "sim/sweep/fingerprint.hpp"
#include "sim/sweep/lock.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::InputRecord;
using corridor::InputScope;
using corridor::SweepLock;
using corridor::test::input_error_of;
using corridor::test::TempDir;

TEST_CASE("a whole sweep holds its directory alone; SLURM tasks share it", "[sweep]") {
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

TEST_CASE("a sweep's inputs are recorded once and a change is refused", "[sweep]") {
  TempDir d("sweepinputs");
  const InputRecord a{"/x/a.yaml", 10, 1}, b{"/x/b.csv", 20, 2};
  corridor::check_or_record_sweep_inputs(d.path(), {a, b}, InputScope::kWholeSweep);
  CHECK(std::filesystem::exists(d / "inputs.csv"));
  CHECK_NOTHROW(corridor::check_or_record_sweep_inputs(d.path(), {b, a}, InputScope::kWholeSweep));
  const InputRecord b2{"/x/b.csv", 20, 3};
  CHECK_THAT(input_error_of([&] { corridor::check_or_record_sweep_inputs(d.path(), {a, b2}, InputScope::kWholeSweep); }),
             Contains("the inputs changed since its runs were made: /x/b.csv (changed)"));
  CHECK_THAT(input_error_of([&] { corridor::check_or_record_sweep_inputs(d.path(), {a}, InputScope::kWholeSweep); }),
             Contains("/x/b.csv (no longer read)"));
  const InputRecord c{"/x/c.csv", 5, 4};
  CHECK_THAT(input_error_of([&] {
               corridor::check_or_record_sweep_inputs(d.path(), {a, b, c}, InputScope::kWholeSweep);
             }),
             Contains("/x/c.csv (not read before)"));
  // A task reads only its own scenario's files: fewer is fine, a change is not.
  CHECK_NOTHROW(corridor::check_or_record_sweep_inputs(d.path(), {a}, InputScope::kOneTask));
  CHECK_THAT(input_error_of([&] { corridor::check_or_record_sweep_inputs(d.path(), {b2}, InputScope::kOneTask); }),
             Contains("/x/b.csv (changed)"));
}

TEST_CASE("tasks build the record up; a whole sweep completes it", "[sweep]") {
  TempDir d("sweepinputs-tasks");
  const InputRecord a{"/x/a.yaml", 10, 1}, b{"/x/b.csv", 20, 2};
  corridor::check_or_record_sweep_inputs(d.path(), {a}, InputScope::kOneTask);
  corridor::check_or_record_sweep_inputs(d.path(), {a, b}, InputScope::kOneTask);  // another scenario's table
  CHECK_NOTHROW(corridor::check_or_record_sweep_inputs(d.path(), {a, b}, InputScope::kWholeSweep));
  const InputRecord c{"/x/c.csv", 5, 4};
  CHECK_THAT(input_error_of([&] {
               corridor::check_or_record_sweep_inputs(d.path(), {a, b, c}, InputScope::kWholeSweep);
             }),
             Contains("/x/c.csv (not read before)"));
}

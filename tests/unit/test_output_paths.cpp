// Unit tests for sim/output_paths: where corridor may write, checked before anything is
// created, and the atomic writer of plain-text outputs.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/output_paths.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::check_output_targets;
using corridor::OutputTarget;
using corridor::test::input_error_of;
using corridor::test::TempDir;
namespace fs = std::filesystem;

TEST_CASE("an output is a new or regular file, never a directory, device or FIFO", "[output_paths]") {
  TempDir d("outpaths");
  CHECK_NOTHROW(check_output_targets({{d / "new.h5", "--out"}}, {}));
  CHECK_NOTHROW(check_output_targets({{d / "deeper/still/new.h5", "--out"}}, {}));
  CHECK_NOTHROW(check_output_targets({{d.write("old.h5", "x"), "--out"}}, {}));
  CHECK_THAT(input_error_of([&] { check_output_targets({{d.path(), "--out"}}, {}); }), Contains("is a directory"));
  CHECK_THAT(input_error_of([] { check_output_targets({{"/dev/null", "--out"}}, {}); }),
             Contains("--out /dev/null: is a character device; expected a new file or a regular file"));
  REQUIRE(::mkfifo((d / "p.h5").c_str(), 0644) == 0);
  CHECK_THAT(input_error_of([&] { check_output_targets({{d / "p.h5", "--checkpoint"}}, {}); }),
             Contains("--checkpoint " + (d / "p.h5").string() + ": is a FIFO"));
  const auto file = d.write("f.txt", "x");
  CHECK_THAT(input_error_of([&] { check_output_targets({{file / "r.h5", "--out"}}, {}); }),
             Contains("is a regular file, not a folder"));
  CHECK_THAT(input_error_of([&] { check_output_targets({{d.path() / "", "--out"}}, {}); }),
             Contains("expected a file name, not a folder"));
}

TEST_CASE("an output is none of the inputs, under any of its names, nor another output", "[output_paths]") {
  TempDir d("outpaths-in");
  const auto scenario = d.write("s.yaml", "x: 1\n");
  fs::create_hard_link(scenario, d / "hard.h5");
  fs::create_symlink(scenario, d / "soft.h5");
  for (const auto& name : {"s.yaml", "hard.h5", "soft.h5", "./s.yaml"})
    CHECK_THAT(input_error_of([&] { check_output_targets({{d / name, "--out"}}, {scenario}); }),
               Contains("is an input of this run"));
  CHECK_THAT(input_error_of([&] {
               check_output_targets({{d / "r.h5", "--out"}, {d / "r.h5", "--checkpoint"}}, {scenario});
             }),
             Contains("--checkpoint " + (d / "r.h5").string() + ": is the same file as --out"));
}

TEST_CASE("output names from scenario fields stay inside their folder", "[output_paths]") {
  CHECK(corridor::output_inside("results", "run1", ".h5", "name") == fs::path("results/run1.h5"));
  for (const std::string bad : {"../x", "a/b", "", ".hidden", "/abs"})
    CHECK_THAT(input_error_of([&] { corridor::output_inside("results", bad, ".h5", "key 'name'"); }),
               Contains("expected a plain file name"));
}

TEST_CASE("write_text_atomically replaces the file whole and leaves no temporary", "[output_paths]") {
  TempDir d("outpaths-atomic");
  const auto f = d / "index.csv";
  corridor::write_text_atomically(f, "a\n");
  corridor::write_text_atomically(f, "b\nc\n");
  std::ifstream in(f);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(all == "b\nc\n");
  CHECK(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator{}) == 1);
  // A folder in the way: the rename fails, the temporary goes, the message names the file.
  fs::create_directory(d / "blocked");
  fs::create_directory(d / "blocked" / "x");
  CHECK_THROWS_WITH(corridor::write_text_atomically(d / "blocked", "x"), Contains("cannot rename"));
  CHECK(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator{}) == 2);
}

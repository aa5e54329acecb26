// Unit tests for sim/files: every input file is a regular file under the size limit, read
// without blocking on FIFOs, and recorded with its hash while an InputRecorder is active.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "sim/csv.hpp"
#include "sim/files.hpp"
#include "sim_support.hpp"

using Catch::Matchers::Contains;
using corridor::read_file_text;
using corridor::test::input_error_of;
using corridor::test::TempDir;

TEST_CASE("read_file_text refuses directories, devices and FIFOs without blocking", "[files]") {
  TempDir d("files");
  const auto ok = d.write("a.yaml", "x: 1\n");
  CHECK(read_file_text(ok, "scenario file") == "x: 1\n");
  CHECK_THAT(input_error_of([&] { read_file_text(d / "none.yaml", "scenario file"); }),
             Contains("none.yaml: scenario file not found"));
  CHECK_THAT(input_error_of([&] { read_file_text(d.path(), "scenario file"); }),
             Contains("is a directory, expected a scenario file (a regular file)"));
  CHECK_THAT(input_error_of([] { read_file_text("/dev/zero", "table"); }),
             Contains("/dev/zero: is a character device, expected a table"));
  std::filesystem::create_symlink("/dev/zero", d / "zero.csv");
  CHECK_THAT(input_error_of([&] { corridor::CsvTable::read(d / "zero.csv"); }), Contains("is a character device"));
  // A FIFO nobody writes to: a plain open would wait forever.
  REQUIRE(::mkfifo((d / "pipe.yaml").c_str(), 0644) == 0);
  CHECK_THAT(input_error_of([&] { read_file_text(d / "pipe.yaml", "scenario file"); }),
             Contains("is a FIFO (named pipe), expected a scenario file"));
  CHECK(corridor::file_kind(d / "pipe.yaml") == "FIFO (named pipe)");
  CHECK(corridor::file_kind(d / "none") == "missing file");
}

TEST_CASE("the input size limit refuses larger files and can be raised", "[files]") {
  TempDir d("files-size");
  const auto f = d.write("big.csv", std::string(3u << 20, 'x'));
  corridor::set_input_size_limit_mb(2);
  CHECK(corridor::input_size_limit() == 2u << 20);
  CHECK_THAT(input_error_of([&] { read_file_text(f, "table"); }),
             Contains("the table is 3145728 bytes; inputs are limited to 2 MiB (raise the limit with corridor "
                      "--max-input-mb N"));
  corridor::set_input_size_limit_mb(4);
  CHECK(read_file_text(f, "table").size() == 3u << 20);
  corridor::set_input_size_limit_mb(0);
  CHECK(corridor::input_size_limit() == corridor::kDefaultInputSizeLimit);
}

TEST_CASE("an InputRecorder records each file read once, with its hash, in nested scopes", "[files]") {
  TempDir d("files-rec");
  const auto a = d.write("a.csv", "id\nA\n");
  const auto b = d.write("b.csv", "id\nB\n");
  corridor::InputRecorder outer;
  {
    corridor::InputRecorder inner;
    read_file_text(a, "table");
    read_file_text(a, "table");
    REQUIRE(inner.inputs().size() == 1);
    CHECK(inner.inputs()[0].path == a);
    CHECK(inner.inputs()[0].bytes == 5);
    CHECK(inner.inputs()[0].hash == corridor::content_hash("id\nA\n"));
  }
  read_file_text(b, "table");
  REQUIRE(outer.inputs().size() == 2);
  CHECK(outer.inputs()[1].path == b);
  CHECK(corridor::content_hash("id\nA\n") != corridor::content_hash("id\nB\n"));
}

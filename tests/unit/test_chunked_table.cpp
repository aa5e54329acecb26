// Unit tests for sim/chunked_table: records appended (one process) or placed at their rows
// (the owners of chunks on several ranks, in any order) come out of the file as the same
// columns; partial chunks are written for snapshots and completed later; a table reopened
// from a file continues where it stopped.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/chunked_table.hpp"
#include "sim/hdf5.hpp"
#include "sim_support.hpp"

namespace h5 = corridor::h5;
using corridor::EncodedChunkRef;
using corridor::TableDatasets;
using corridor::TableLayout;
using corridor::TableStream;
using corridor::WritePipeline;
using corridor::test::TempDir;

namespace {

struct Rec {
  std::int64_t v[3];
  std::int32_t day;
};

TableLayout layout(std::size_t chunk_rows, int level) {
  TableLayout t;
  t.name = "t";
  t.chunk_rows = chunk_rows;
  t.level = level;
  t.add("value", H5T_NATIVE_INT64, {3}, offsetof(Rec, v));
  t.add("day", H5T_NATIVE_INT32, {}, offsetof(Rec, day));
  t.record_bytes = sizeof(Rec);
  return t;
}

std::vector<Rec> records(std::size_t n) {
  std::vector<Rec> r(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto k = static_cast<std::int64_t>(i);
    r[i] = Rec{{k, -k, k * k}, static_cast<std::int32_t>(i / 3)};
  }
  return r;
}

void check_file(hid_t file, const std::vector<Rec>& expect) {
  const auto values = h5::read_column<std::int64_t>(file, "value");
  const auto days = h5::read_column<std::int32_t>(file, "day");
  REQUIRE(days.size() == expect.size());
  REQUIRE(values.size() == 3 * expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i) {
    INFO("row " << i);
    CHECK(days[i] == expect[i].day);
    for (int j = 0; j < 3; ++j) CHECK(values[3 * i + static_cast<std::size_t>(j)] == expect[i].v[j]);
  }
}

}  // namespace

TEST_CASE("records appended in pieces come out as the table's columns, compressed or not", "[output][table]") {
  for (int level : {0, 1}) {
    INFO("level " << level);
    TempDir dir("table");
    const std::string path = (dir / "t.h5").string();
    const auto recs = records(103);  // ten chunks of 10 and a partial one
    {
      h5::Handle file = h5::create_file(path);
      const TableLayout l = layout(10, level);
      TableDatasets ds = TableDatasets::create(file, l);
      WritePipeline pipeline(3, 1 << 20);
      TableStream s(0, l, &pipeline, [&](EncodedChunkRef&& c) { ds.put(c); });
      s.append(recs.data(), 4);
      s.append(recs.data() + 4, 0);
      s.append(recs.data() + 4, 57);
      s.append(recs.data() + 61, 42);
      CHECK(s.rows() == 103);
      s.flush_partial(s.rows(), false);
      pipeline.drain();
      CHECK(ds.rows() == 103);
    }
    h5::Handle file = h5::open_file_readonly(path);
    check_file(file, recs);
    // The partial last chunk's records, as a restart reads them.
    const TableLayout l = layout(10, level);
    const TableDatasets ds = TableDatasets::open(file, l);
    const auto tail = ds.read_records(100);
    REQUIRE(tail.size() == 3 * l.record_bytes);
    Rec r{};
    std::memcpy(&r.v, tail.data() + 2 * l.record_bytes + offsetof(Rec, v), sizeof r.v);
    std::memcpy(&r.day, tail.data() + 2 * l.record_bytes + offsetof(Rec, day), sizeof r.day);
    CHECK(r.v[2] == 102 * 102);
    CHECK(r.day == 34);
  }
}

TEST_CASE("chunks placed by their owners in any order make the same table", "[output][table]") {
  TempDir dir("placed");
  const std::string path = (dir / "p.h5").string();
  const auto recs = records(47);
  {
    h5::Handle file = h5::create_file(path);
    const TableLayout l = layout(8, 1);
    TableDatasets ds = TableDatasets::create(file, l);
    WritePipeline pipeline(2, 1 << 20);
    // Two "owners" (even and odd chunks) fill their chunks from pieces that arrive out of order.
    TableStream even(0, l, &pipeline, [&](EncodedChunkRef&& c) { ds.put(c); });
    TableStream odd(0, l, &pipeline, [&](EncodedChunkRef&& c) { ds.put(c); });
    const std::size_t cuts[] = {0, 5, 8, 13, 16, 24, 30, 32, 40, 45, 47};
    for (int pass = 1; pass >= 0; --pass)
      for (std::size_t c = 0; c + 1 < std::size(cuts); ++c) {
        const std::size_t from = cuts[c], to = cuts[c + 1];
        const std::size_t chunk = from / 8;
        if (static_cast<int>(chunk % 2) != pass) continue;
        (chunk % 2 ? odd : even).place(from, recs.data() + from, to - from);
      }
    even.flush_partial(47, false);  // chunk 5 (rows 40-46) is even's
    odd.flush_partial(47, false);
    pipeline.drain();
  }
  h5::Handle file = h5::open_file_readonly(path);
  check_file(file, recs);
}

TEST_CASE("a snapshot writes the partial chunk and keeps it, and a reopened table continues it", "[output][table]") {
  TempDir dir("resume");
  const std::string path = (dir / "r.h5").string();
  const auto recs = records(25);
  const TableLayout l = layout(10, 1);
  {
    h5::Handle file = h5::create_file(path);
    TableDatasets ds = TableDatasets::create(file, l);
    WritePipeline pipeline(2, 1 << 20);
    TableStream s(0, l, &pipeline, [&](EncodedChunkRef&& c) { ds.put(c); });
    s.append(recs.data(), 13);
    s.flush_partial(13, true);  // a checkpoint's snapshot: rows 10-12 written, kept
    pipeline.drain();
    CHECK(ds.rows() == 13);
    s.append(recs.data() + 13, 4);
    s.flush_partial(17, true);
    pipeline.drain();
    CHECK(ds.rows() == 17);
  }
  {
    h5::Handle file = h5::open_file_readwrite(path);
    TableDatasets ds = TableDatasets::open(file, l);
    REQUIRE(ds.rows() == 17);
    WritePipeline pipeline(2, 1 << 20);
    TableStream s(0, l, &pipeline, [&](EncodedChunkRef&& c) { ds.put(c); });
    s.resume(17, ds.read_records(10));
    s.append(recs.data() + 17, 8);
    s.flush_partial(s.rows(), false);
    pipeline.drain();
  }
  h5::Handle file = h5::open_file_readonly(path);
  check_file(file, recs);
}

TEST_CASE("a table that ends with a chunk still missing rows is a logic error, not a silent hole", "[output][table]") {
  const TableLayout l = layout(4, 1);
  WritePipeline pipeline(1, 1 << 20);
  TableStream s(0, l, &pipeline, [](EncodedChunkRef&&) {});
  const auto recs = records(3);
  s.place(4, recs.data(), 3);  // rows 4-6 of chunk 1; row 7 never comes
  CHECK_THROWS_AS(s.flush_partial(8, false), std::logic_error);
}

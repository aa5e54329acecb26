// Unit tests for sim/tally: the flat layout of the per-day series and the thread-local counts.
#include <catch2/catch.hpp>

#include <set>
#include <stdexcept>

#include "sim/tally.hpp"

using corridor::Dimension;
using corridor::SeriesLayout;
using corridor::SeriesSpec;
using corridor::Tally;

namespace {
Dimension dim(const std::string& name, std::size_t n) {
  Dimension d{name, {}};
  for (std::size_t i = 0; i < n; ++i) d.labels.push_back(std::to_string(i));
  return d;
}
}  // namespace

TEST_CASE("series are laid out one after another, each as large as the product of its dimensions") {
  SeriesLayout layout;
  const auto scalar = layout.add({"total", "people", "everyone", {}});
  const auto by_node = layout.add({"occupancy", "people", "per node", {dim("node", 5)}});
  const auto by_pair = layout.add({"flows", "people", "per pair", {dim("from", 3), dim("to", 4)}});
  CHECK(scalar.offset == 0);
  CHECK(scalar.cells == 1);
  CHECK(by_node.offset == 1);
  CHECK(by_node.cells == 5);
  CHECK(by_pair.offset == 6);
  CHECK(by_pair.cells == 12);
  CHECK(layout.cells() == 18);
  REQUIRE(layout.specs().size() == 3);
  CHECK(layout.specs()[2].name == "flows");
  CHECK(layout.ids()[1].offset == by_node.offset);
}

TEST_CASE("series indices are row-major and cover every cell exactly once") {
  SeriesLayout layout;
  layout.add({"pad", "", "", {dim("a", 2)}});
  const auto two = layout.add({"two", "", "", {dim("i", 3), dim("j", 4)}});
  const auto three = layout.add({"three", "", "", {dim("i", 2), dim("j", 3), dim("k", 4)}});
  const auto four = layout.add({"four", "", "", {dim("i", 2), dim("j", 2), dim("k", 3), dim("l", 2)}});
  const auto five = layout.add({"five", "", "", {dim("i", 2), dim("j", 2), dim("k", 2), dim("l", 2), dim("m", 3)}});

  CHECK(two.at(0, 0) == two.offset);
  CHECK(two.at(1, 0) == two.offset + 4);
  CHECK(two.at(2, 3) == two.offset + 11);
  CHECK(three.at(1, 2, 3) == three.offset + 1 * 12 + 2 * 4 + 3);

  std::set<std::size_t> seen;
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) seen.insert(three.at(i, j, k));
  CHECK(seen.size() == three.cells);
  CHECK(*seen.begin() == three.offset);
  CHECK(*seen.rbegin() == three.offset + three.cells - 1);

  seen.clear();
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t k = 0; k < 3; ++k)
        for (std::size_t l = 0; l < 2; ++l) seen.insert(four.at(i, j, k, l));
  CHECK(seen.size() == four.cells);
  CHECK(*seen.rbegin() == four.offset + four.cells - 1);

  seen.clear();
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 2; ++j)
      for (std::size_t k = 0; k < 2; ++k)
        for (std::size_t l = 0; l < 2; ++l)
          for (std::size_t m = 0; m < 3; ++m) seen.insert(five.at(i, j, k, l, m));
  CHECK(seen.size() == five.cells);
  CHECK(*seen.begin() == five.offset);
  CHECK(*seen.rbegin() == five.offset + five.cells - 1);
  CHECK(five.offset + five.cells == layout.cells());
}

TEST_CASE("a series with more than eight dimensions is refused") {
  SeriesLayout layout;
  SeriesSpec spec{"deep", "", "", {}};
  for (int d = 0; d < 9; ++d) spec.dims.push_back(dim(std::to_string(d), 1));
  CHECK_THROWS_AS(layout.add(spec), std::invalid_argument);
  spec.dims.pop_back();
  CHECK_NOTHROW(layout.add(spec));
}

TEST_CASE("tallies add, clear and accumulate exactly") {
  Tally a, b;
  a.resize(4);
  b.resize(4);
  a.add(0, 3);
  a.add(0, 2);
  a.add(3, -1);
  b.add(0, 10);
  b[2] = 7;
  CHECK(a[0] == 5);
  CHECK(a.size() == 4);
  a.accumulate(b);
  CHECK(a[0] == 15);
  CHECK(a[1] == 0);
  CHECK(a[2] == 7);
  CHECK(a[3] == -1);
  CHECK(a.data()[2] == 7);
  a.clear();
  CHECK(a.size() == 4);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == 0);
  // Large counts stay exact: 64-bit integers, not floating point.
  a.add(1, (std::int64_t{1} << 53) + 1);
  a.add(1, 1);
  CHECK(a[1] == (std::int64_t{1} << 53) + 2);
}

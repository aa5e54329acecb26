// Unit tests for sim/agents: the structure-of-arrays agent store, stable ids and compaction.
#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <variant>

#include "sim/agents.hpp"

using corridor::AgentStore;
using corridor::ColumnId;

namespace {
constexpr std::uint8_t kActive = 0, kDone = 1, kGone = 2;

struct FinalStates {
  bool is_final[256] = {};
  FinalStates() {
    is_final[kDone] = true;
    is_final[kGone] = true;
  }
};
}  // namespace

TEST_CASE("a new store has the core columns id, node and state and no rows") {
  const AgentStore store;
  CHECK(store.size() == 0);
  CHECK(store.next_id() == 0);
  REQUIRE(store.columns().size() == 3);
  CHECK(store.columns()[AgentStore::kIdColumn].name == "id");
  CHECK(store.columns()[AgentStore::kNodeColumn].name == "node");
  CHECK(store.columns()[AgentStore::kStateColumn].name == "state");
  CHECK(std::holds_alternative<std::vector<std::uint64_t>>(store.columns()[0].data));
  CHECK(std::holds_alternative<std::vector<std::uint32_t>>(store.columns()[1].data));
  CHECK(std::holds_alternative<std::vector<std::uint8_t>>(store.columns()[2].data));
}

TEST_CASE("append assigns increasing ids and zeroes every other column") {
  AgentStore store;
  const auto age = store.add_column<float>("age");
  const auto hidden = store.add_column<std::int32_t>("scratch", /*output=*/false);
  CHECK(store.append(3) == 0);
  CHECK(store.append(0) == 3);
  CHECK(store.append(4) == 3);
  REQUIRE(store.size() == 7);
  CHECK(store.next_id() == 7);
  for (std::size_t i = 0; i < store.size(); ++i) {
    CHECK(store.ids()[i] == i);
    CHECK(store.nodes()[i] == 0u);
    CHECK(store.states()[i] == 0u);
    CHECK(store.data(age)[i] == 0.0f);
    CHECK(store.data(hidden)[i] == 0);
  }
  CHECK(store.columns()[age.index].output);
  CHECK_FALSE(store.columns()[hidden.index].output);
}

TEST_CASE("set_next_id makes later agents continue from the given id") {
  AgentStore store;
  store.append(2);
  store.set_next_id(100);
  const std::size_t first = store.append(3);
  CHECK(first == 2);
  CHECK(store.ids()[1] == 1);
  CHECK(store.ids()[2] == 100);
  CHECK(store.ids()[4] == 102);
  CHECK(store.next_id() == 103);
}

TEST_CASE("compact removes final-state rows and keeps the order of the others in every column") {
  AgentStore store;
  const auto u16 = store.add_column<std::uint16_t>("u16");
  const auto u32 = store.add_column<std::uint32_t>("u32");
  const auto i32 = store.add_column<std::int32_t>("i32");
  const auto u64 = store.add_column<std::uint64_t>("u64");
  const auto f32 = store.add_column<float>("f32");
  const auto f64 = store.add_column<double>("f64");
  const auto u8 = store.add_column<std::uint8_t>("u8");
  const std::size_t n = 1000;
  store.append(n);
  // Every column holds a function of the id, so a row that is moved whole stays consistent.
  for (std::size_t i = 0; i < n; ++i) {
    const auto id = store.ids()[i];
    store.nodes()[i] = static_cast<std::uint32_t>(id * 3);
    store.states()[i] = (id % 7 == 3) ? kDone : (id % 11 == 5) ? kGone : kActive;
    store.data(u16)[i] = static_cast<std::uint16_t>(id + 1);
    store.data(u32)[i] = static_cast<std::uint32_t>(id * 5);
    store.data(i32)[i] = -static_cast<std::int32_t>(id);
    store.data(u64)[i] = id * 1000003ull;
    store.data(f32)[i] = static_cast<float>(id) * 0.5f;
    store.data(f64)[i] = static_cast<double>(id) / 3.0;
    store.data(u8)[i] = static_cast<std::uint8_t>(id % 251);
  }
  std::size_t expected_removed = 0;
  for (std::size_t id = 0; id < n; ++id) expected_removed += (id % 7 == 3 || id % 11 == 5) ? 1 : 0;

  const FinalStates fs;
  const auto finals = store.final_rows(fs.is_final);
  REQUIRE(finals.size() == expected_removed);
  for (std::size_t k = 1; k < finals.size(); ++k) CHECK(finals[k - 1] < finals[k]);

  CHECK(store.compact(fs.is_final) == expected_removed);
  REQUIRE(store.size() == n - expected_removed);
  CHECK(store.next_id() == n);  // ids are never reused
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < store.size(); ++i) {
    const auto id = store.ids()[i];
    if (i > 0 && !(store.ids()[i - 1] < id)) ++mismatches;
    if (id % 7 == 3 || id % 11 == 5) ++mismatches;
    if (store.nodes()[i] != id * 3 || store.states()[i] != kActive) ++mismatches;
    if (store.data(u16)[i] != static_cast<std::uint16_t>(id + 1) || store.data(u32)[i] != id * 5 ||
        store.data(i32)[i] != -static_cast<std::int32_t>(id) || store.data(u64)[i] != id * 1000003ull ||
        store.data(f32)[i] != static_cast<float>(id) * 0.5f || store.data(f64)[i] != static_cast<double>(id) / 3.0 ||
        store.data(u8)[i] != id % 251)
      ++mismatches;
  }
  CHECK(mismatches == 0);

  // The first survivors are exactly the ids not removed, in order.
  std::vector<std::uint64_t> expected_ids;
  for (std::uint64_t id = 0; id < 20; ++id)
    if (!(id % 7 == 3 || id % 11 == 5)) expected_ids.push_back(id);
  CHECK(std::vector<std::uint64_t>(store.ids(), store.ids() + expected_ids.size()) == expected_ids);
}

TEST_CASE("compact with nothing final changes nothing and appending afterwards continues the ids") {
  AgentStore store;
  store.append(5);
  const FinalStates fs;
  CHECK(store.compact(fs.is_final) == 0);
  CHECK(store.size() == 5);

  store.states()[0] = kDone;
  store.states()[4] = kGone;
  CHECK(store.compact(fs.is_final) == 2);
  REQUIRE(store.size() == 3);
  CHECK(store.ids()[0] == 1);
  CHECK(store.ids()[2] == 3);
  CHECK(store.append(2) == 3);
  CHECK(store.ids()[3] == 5);
  CHECK(store.ids()[4] == 6);

  for (std::size_t i = 0; i < store.size(); ++i) store.states()[i] = kDone;
  CHECK(store.compact(fs.is_final) == 5);
  CHECK(store.size() == 0);
  CHECK(store.next_id() == 7);
}

TEST_CASE("bytes per row counts one element of every column") {
  AgentStore store;
  CHECK(store.bytes_per_row() == 8 + 4 + 1);
  store.add_column<double>("x");
  store.add_column<std::uint16_t>("y");
  CHECK(store.bytes_per_row() == 8 + 4 + 1 + 8 + 2);
  store.reserve(100);
  CHECK(store.bytes_reserved() >= 100 * store.bytes_per_row());
}

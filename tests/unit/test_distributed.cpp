// The pieces of multi-rank runs and checkpoints that need no MPI: the store's ownership
// partition, packing and merging rows, the event merge, and checkpoint round trips through
// the engine (sim/agents_pack.cpp, sim/distributed.cpp, sim/checkpoint.cpp).
#include <catch2/catch.hpp>

#include <algorithm>

#include "models/markov/markov_model.hpp"
#include "models/registry.hpp"
#include "sim/agents.hpp"
#include "sim/checkpoint.hpp"
#include "sim/distributed.hpp"
#include "sim/engine.hpp"
#include "sim/rng.hpp"
#include "sim_support.hpp"

using corridor::AgentStore;
using corridor::ColumnId;

TEST_CASE("a partitioned store keeps only the agents it owns and still uses up every id") {
  AgentStore a, b;
  a.set_partition(3, 1);
  b.set_partition(3, 1);
  a.append(5);  // ids 0..4: owns 1 and 4
  CHECK(a.size() == 2);
  CHECK(a.ids()[0] == 1);
  CHECK(a.ids()[1] == 4);
  CHECK(a.next_id() == 5);
  a.append(1);  // id 5: not owned
  CHECK(a.size() == 2);
  a.append(2);  // ids 6, 7: owns 7
  CHECK(a.size() == 3);
  CHECK(a.ids()[2] == 7);
  CHECK(a.next_id() == 8);
  b.append(0);
  CHECK(b.size() == 0);
  // Reserving room for new agents reserves this rank's share only.
  AgentStore c;
  c.set_partition(4, 0);
  c.reserve(4000);
  CHECK(c.bytes_reserved() <= 1000 * c.bytes_per_row());
}

TEST_CASE("the ranks' shares of a partitioned store merge back into the single store, row for row") {
  auto make = [](AgentStore& s) { return s.add_column<float>("x"); };
  AgentStore whole;
  auto xw = make(whole);
  std::vector<AgentStore> parts(3);
  std::vector<ColumnId<float>> xp;
  for (std::uint32_t r = 0; r < 3; ++r) {
    xp.push_back(make(parts[r]));
    parts[r].set_partition(3, r);
  }
  for (std::size_t batch : {4u, 1u, 7u}) {
    whole.append(batch);
    for (auto& p : parts) p.append(batch);
  }
  for (std::size_t i = 0; i < whole.size(); ++i) whole.data(xw)[i] = static_cast<float>(whole.ids()[i]) * 0.5f;
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t i = 0; i < parts[r].size(); ++i)
      parts[r].data(xp[r])[i] = static_cast<float>(parts[r].ids()[i]) * 0.5f;
  // Through bytes, as the ranks send them to rank 0.
  std::vector<AgentStore> received;
  for (const auto& p : parts) {
    received.push_back(p.empty_copy());
    received.back().unpack_append(p.pack(nullptr));
  }
  const AgentStore merged = AgentStore::merge_by_id(received);
  REQUIRE(merged.size() == whole.size());
  CHECK(merged.next_id() == whole.next_id());
  CHECK(whole.pack(nullptr) == merged.pack(nullptr));
  // Selected rows only.
  const std::vector<std::uint32_t> rows{0, 2};
  AgentStore sel = parts[1].empty_copy();
  sel.unpack_append(parts[1].pack(&rows));
  REQUIRE(sel.size() == 2);
  CHECK(sel.ids()[1] == parts[1].ids()[2]);
}

TEST_CASE("events of several ranks merge into the single-process order: start of day, then step, by agent") {
  using corridor::Event;
  using corridor::ThreadSink;
  // Rank 0 owns even agents, rank 1 odd ones; each rank has two threads.
  auto sinks = [](std::vector<std::pair<std::uint64_t, std::uint16_t>> t0,
                  std::vector<std::pair<std::uint64_t, std::uint16_t>> t1) {
    std::vector<ThreadSink> s(2);
    for (auto [a, k] : t0) s[0].events.add(3, k, 0, a);
    for (auto [a, k] : t1) s[1].events.add(3, k, 0, a);
    return s;
  };
  ThreadSink serial0, serial1;
  serial0.events.add(3, 9, 0, 10);
  serial1.events.add(3, 9, 0, 11);
  serial0.events.add(3, 9, 0, 12);
  const auto s0 = sinks({{0, 1}, {0, 2}, {2, 1}}, {{4, 1}});
  const auto s1 = sinks({{1, 1}}, {{3, 1}, {3, 2}, {5, 1}});
  const auto merged = corridor::merge_day_events({corridor::pack_day_events(serial0, s0),
                                                  corridor::pack_day_events(serial1, s1)});
  std::vector<std::pair<std::uint64_t, std::uint16_t>> got;
  for (const Event& e : merged) got.emplace_back(e.agent, e.kind);
  CHECK(got == std::vector<std::pair<std::uint64_t, std::uint16_t>>{
                   {10, 9}, {11, 9}, {12, 9}, {0, 1}, {0, 2}, {1, 1}, {2, 1}, {3, 1}, {3, 2}, {4, 1}, {5, 1}});
  // A model whose events are out of agent order cannot be merged: said loudly, not mis-ordered.
  ThreadSink bad;
  bad.events.add(3, 1, 0, 7);
  bad.events.add(3, 1, 0, 2);
  CHECK_THROWS_AS(corridor::pack_day_events(bad, {}), std::logic_error);
}

namespace {

struct Chain {
  corridor::Network net;
  corridor::Scenario sc;
  corridor::markov::MarkovSpec spec;
};

/// A 4-node chain a-b-c-d (d absorbing), 3000 agents at a, 40 days.
Chain chain() {
  std::vector<corridor::NodeInfo> nodes;
  for (const char* id : {"a", "b", "c", "d"}) nodes.push_back(corridor::NodeInfo{id, id, "x", "X", 0, 0});
  std::vector<corridor::EdgeInfo> edges{{0, 1, 1, "road"}, {1, 2, 1, "road"}, {2, 3, 1, "road"}};
  Chain c{corridor::Network::build(nodes, edges, true), {}, {}};
  c.sc.name = "chain";
  c.sc.model = "markov";
  c.sc.seed = 77;
  c.sc.calendar = corridor::Calendar{corridor::Date::from_ymd(2021, 1, 1), corridor::Date::from_ymd(2021, 2, 9)};
  c.spec.initial = {{0, 3000}};
  for (std::uint32_t i = 0; i < 3; ++i) c.spec.transitions.push_back({i, i + 1, corridor::Schedule(0.2 + 0.1 * i)});
  return c;
}

std::vector<std::vector<std::int64_t>> run_totals(Chain& c, corridor::RunOptions opt, bool expect_stop) {
  std::vector<std::vector<std::int64_t>> out;
  opt.on_totals = [&](const corridor::DayContext& ctx, const corridor::Tally& t) {
    out.emplace_back(t.data(), t.data() + t.size());
    out.back().push_back(ctx.day);
  };
  corridor::markov::MarkovModel model(c.spec, c.net, c.sc.calendar);
  corridor::Engine<corridor::markov::MarkovModel> engine(c.sc, model, std::move(opt));
  struct Stop {};
  bool stopped = false;
  try {
    engine.run(nullptr);
  } catch (const Stop&) {
    stopped = true;
  }
  CHECK(stopped == expect_stop);
  return out;
}

}  // namespace

TEST_CASE("an engine restarted from a checkpoint continues with exactly the days an uninterrupted run has") {
  corridor::test::TempDir d("checkpoint-engine");
  Chain c = chain();
  corridor::RunOptions plain;
  plain.threads = 2;
  const auto full = run_totals(c, plain, false);
  REQUIRE(full.size() == 40);

  struct Stop {};
  corridor::RunOptions first = plain;
  first.stop_after_day = 16;
  first.checkpoint_path = d / "c.ckpt";
  first.on_stop = [](int, bool checkpointed) {
    CHECK(checkpointed);
    throw Stop{};
  };
  std::vector<std::vector<std::int64_t>> before;
  {
    first.on_totals = [&](const corridor::DayContext& ctx, const corridor::Tally& t) {
      before.emplace_back(t.data(), t.data() + t.size());
      before.back().push_back(ctx.day);
    };
    corridor::markov::MarkovModel model(c.spec, c.net, c.sc.calendar);
    corridor::Engine<corridor::markov::MarkovModel> engine(c.sc, model, first);
    CHECK_THROWS_AS(engine.run(nullptr), Stop);
  }
  REQUIRE(before.size() == 17);
  REQUIRE(std::filesystem::exists(d / "c.ckpt"));

  corridor::CheckpointReader reader(d / "c.ckpt");
  CHECK(reader.engine_state().next_day == 17);
  corridor::RunOptions second = plain;
  second.threads = 3;  // a restart may use another thread count
  second.restart = &reader;
  const auto after = run_totals(c, second, false);
  REQUIRE(after.size() == 23);
  for (std::size_t i = 0; i < 17; ++i) CHECK(before[i] == full[i]);
  for (std::size_t i = 0; i < 23; ++i) CHECK(after[i] == full[17 + i]);
}

TEST_CASE("a checkpoint that is missing or not a checkpoint is bad input naming the file") {
  corridor::test::TempDir d("checkpoint-bad");
  CHECK_THAT(corridor::test::input_error_of([&] { corridor::CheckpointReader r(d / "none.ckpt"); }),
             Catch::Contains("none.ckpt: file not found"));
  const auto junk = d.write("junk.ckpt", "not hdf5");
  CHECK_THAT(corridor::test::input_error_of([&] { corridor::CheckpointReader r(junk); }),
             Catch::Contains("junk.ckpt: not an HDF5 file"));
}

TEST_CASE("a limited capacity goes to the claims of lowest rank_hash, then id, and unlimited pools take every claim") {
  using corridor::CapacityClaim;
  std::vector<CapacityClaim> claims;
  for (std::uint64_t a = 0; a < 40; ++a) claims.push_back(CapacityClaim{static_cast<std::uint32_t>(a % 3), 0, a * 7});
  std::vector<const CapacityClaim*> ptrs;
  for (const auto& c : claims) ptrs.push_back(&c);
  const std::vector<std::int64_t> capacity{5, -1, 0};
  const auto won = corridor::decide_claims(ptrs, capacity, 99, 12, nullptr);
  REQUIRE(won.size() == claims.size());
  // Pool 0: exactly the 5 lowest keys; pool 1 unlimited; pool 2 closed.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pool0;
  for (const auto& c : claims)
    if (c.pool == 0) pool0.emplace_back(corridor::rank_hash(99, c.agent, 12), c.agent);
  std::sort(pool0.begin(), pool0.end());
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const auto& c = claims[i];
    if (c.pool == 1) CHECK(won[i]);
    if (c.pool == 2) CHECK_FALSE(won[i]);
    if (c.pool == 0) {
      const auto key = std::make_pair(corridor::rank_hash(99, c.agent, 12), c.agent);
      const bool among_lowest = std::find(pool0.begin(), pool0.begin() + 5, key) != pool0.begin() + 5;
      CHECK(static_cast<bool>(won[i]) == among_lowest);
    }
  }
  // The decision of a claim depends on the set of claims, not on their order.
  std::vector<const CapacityClaim*> reversed(ptrs.rbegin(), ptrs.rend());
  const auto won_r = corridor::decide_claims(reversed, capacity, 99, 12, nullptr);
  for (std::size_t i = 0; i < ptrs.size(); ++i) CHECK(won_r[ptrs.size() - 1 - i] == won[i]);
}

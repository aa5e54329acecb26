// Sweep files: expansion into runs and the derivation of their seeds (sim/sweep.hpp).
#include <catch2/catch.hpp>

#include <set>

#include "sim/sweep/index.hpp"
#include "sim/sweep/plan.hpp"
#include "sim_support.hpp"

using corridor::derive_seed;
using corridor::read_sweep;
using corridor::SeedMode;
using corridor::test::input_error_of;
using corridor::test::TempDir;

namespace {
// A base scenario only needs to exist for read_sweep (the sweep command loads it).
std::filesystem::path sweep_file(const TempDir& d, const std::string& body) {
  d.write("base.yaml", "name: base\n");
  return d.write("s.yaml", body);
}
}  // namespace

TEST_CASE("a grid expands to every combination of levels, the last axis fastest, then the list, each replicated") {
  TempDir d("sweep-grid");
  const auto f = sweep_file(d, R"(name: g
base: base.yaml
seed: 11
replicates: 2
set: {output.events: false}
grid:
  - axis: t42
    levels:
      - {name: "on"}
      - {name: "off", set: {corridor.us.title42.enabled: false}}
  - key: corridor.aid.amount_usd
    axis: aid
    values: [0, 4.0e9]
scenarios:
  - name: no_mpp
    set: ["corridor.us.mpp.enabled=false"]
)");
  const auto plan = read_sweep(f);
  REQUIRE(plan.scenarios == std::vector<std::string>{"t42=on,aid=0", "t42=on,aid=4.0e9", "t42=off,aid=0",
                                                      "t42=off,aid=4.0e9", "no_mpp"});
  REQUIRE(plan.runs.size() == 10);
  CHECK(plan.axes == std::vector<std::string>{"t42", "aid"});
  // Scenario-major, then replicate; ids and output files follow the index.
  CHECK(plan.runs[0].id == "r0000");
  CHECK(plan.runs[3].scenario == "t42=on,aid=4.0e9");
  CHECK(plan.runs[3].replicate == 1);
  CHECK(plan.runs[9].output() == "runs/r0009.h5");
  // The sweep's overrides come first, then the levels' in axis order.
  CHECK(plan.runs[6].overrides == std::vector<std::string>{"output.events=false", "corridor.us.title42.enabled=false",
                                                           "corridor.aid.amount_usd=4.0e9"});
  CHECK(plan.runs[6].levels.at("t42") == "off");
  CHECK(plan.runs[8].overrides == std::vector<std::string>{"output.events=false", "corridor.us.mpp.enabled=false"});
  CHECK(plan.runs[8].levels.empty());
  CHECK(plan.base == (d.path() / "base.yaml").lexically_normal());
}

TEST_CASE("run seeds are derived from the sweep seed and the run index, the same every time") {
  TempDir d("sweep-seeds");
  const auto f = sweep_file(d, "name: s\nbase: base.yaml\nseed: 5\nreplicates: 50\n");
  const auto a = read_sweep(f), b = read_sweep(f);
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    CHECK(a.runs[i].seed == b.runs[i].seed);
    CHECK(a.runs[i].seed == derive_seed(5, i));
    CHECK(a.runs[i].seed < (std::uint64_t{1} << 63));  // fits a signed 64-bit reader
    seeds.insert(a.runs[i].seed);
  }
  CHECK(seeds.size() == 50);  // distinct
  // A pinned value: the derivation must not change silently between versions (old sweeps resume).
  CHECK(derive_seed(5, 0) == a.runs[0].seed);
  CHECK(derive_seed(42, 0) == 5376466742672214985ull);
  CHECK(derive_seed(6, 0) != derive_seed(5, 0));
}

TEST_CASE("with seeds: per_replicate every scenario's replicate k has the same seed (common random numbers)") {
  TempDir d("sweep-crn");
  const auto plan = read_sweep(sweep_file(d, R"(name: s
base: base.yaml
seed: 9
seeds: per_replicate
replicates: 3
grid: [{key: end, values: [2021-01-10, 2021-01-20]}]
)"));
  REQUIRE(plan.seed_mode == SeedMode::kPerReplicate);
  REQUIRE(plan.runs.size() == 6);
  for (int k = 0; k < 3; ++k) {
    CHECK(plan.runs[static_cast<std::size_t>(k)].seed == plan.runs[static_cast<std::size_t>(3 + k)].seed);
    CHECK(plan.runs[static_cast<std::size_t>(k)].seed == derive_seed(9, static_cast<std::uint64_t>(k)));
  }
  CHECK(plan.runs[0].seed != plan.runs[1].seed);
}

TEST_CASE("a sweep with neither grid nor list is replicates of the base scenario") {
  TempDir d("sweep-base");
  const auto plan = read_sweep(sweep_file(d, "name: s\nbase: base.yaml\nseed: 1\nreplicates: 3\n"));
  CHECK(plan.scenarios == std::vector<std::string>{"base"});
  CHECK(plan.runs.size() == 3);
  CHECK(plan.runs[2].overrides.empty());
}

TEST_CASE("bad sweep files are reported with file, line and key") {
  TempDir d("sweep-bad");
  d.write("base.yaml", "name: base\n");
  auto err = [&](const std::string& body) {
    const auto f = d.write("bad.yaml", body);
    return input_error_of([&] { read_sweep(f); });
  };
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nreplicats: 3\n"),
             Catch::Contains("bad.yaml:4: unknown key 'replicats'"));
  CHECK_THAT(err("name: s\nbase: nowhere.yaml\nseed: 1\n"), Catch::Contains("bad.yaml:2: key 'base': scenario file"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: -3\n"),
             Catch::Contains("bad.yaml:3: key 'seed': expected a non-negative 64-bit integer, got '-3'"));
  CHECK_THAT(err("name: s\nbase: base.yaml\n"), Catch::Contains("key 'seed': is required"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nreplicates: 0\n"),
             Catch::Contains("bad.yaml:4: key 'replicates': expected an integer in [1, 100000], got '0'"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nset: {seed: 4}\n"), Catch::Contains("do not set 'seed'"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nseeds: sometimes\n"),
             Catch::Contains("key 'seeds': expected per_run, per_replicate or per_point, got 'sometimes'"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nset: [corridor.scale]\n"),
             Catch::Contains("key 'set.0': expected key.path=value"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\ngrid:\n  - key: end\n    values: [a, a]\n"),
             Catch::Contains("level 'a' appears twice"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nscenarios:\n  - {name: x}\n  - {name: x}\n"),
             Catch::Contains("scenario name 'x' appears twice"));
  CHECK_THAT(err("name: s\nbase: base.yaml\nseed: 1\nsweep: [\n"), Catch::Contains("bad.yaml:5: YAML syntax error"));
}

TEST_CASE("the index is written atomically and read back, and another sweep's index is refused") {
  TempDir d("sweep-index");
  const auto plan = read_sweep(sweep_file(d, "name: s\nbase: base.yaml\nseed: 3\nreplicates: 3\n"
                                             "set: [\"corridor.note=a, b\"]\n"));
  std::vector<corridor::IndexRow> rows(plan.runs.size());
  rows[1].status = "done";
  rows[1].wall_s = 1.5;
  rows[1].exit_code = 0;
  corridor::write_index(d.path(), plan, rows);
  const auto back = corridor::read_index(d.path(), plan);
  CHECK(back[1].status == "done");
  CHECK(back[1].wall_s == Approx(1.5));
  CHECK(back[0].status == "pending");
  CHECK(back[0].exit_code == -1);
  for (const auto& e : std::filesystem::directory_iterator(d.path()))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);
  const auto other = read_sweep(d.write("t.yaml", "name: s\nbase: base.yaml\nseed: 4\nreplicates: 3\n"));
  CHECK_THAT(input_error_of([&] { corridor::read_index(d.path(), other); }),
             Catch::Contains("run r0000: seed is"));
}
